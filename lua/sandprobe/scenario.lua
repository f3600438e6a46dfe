-- The object a scenario's run(t) receives, and how its outcome becomes a
-- status: any failed check -> fail; t:fail -> fail and stop; t:skip -> skip
-- and stop; a Lua error or a time-out -> error; no check at all -> error (a
-- scenario that checks nothing proves nothing).
local json = require("json")

local M = {}

-- What an error value says. A table shows its contents (error{code=42} is
-- `error object {"code":42}`, not "table: 0x..."); it is encoded without
-- calling any of its metamethods, which are scenario code and would run
-- outside the scenario's time limit.
local function error_text(err)
  if type(err) ~= "table" then return tostring(err) end
  local ok, text = pcall(json.encode, err)
  if ok then return "error object " .. text end
  return "error object (not encodable: " .. tostring(text) .. ")"
end

-- Values raised to stop a scenario early; recognised by identity.
local STOP = setmetatable({}, { __tostring = function() return "scenario stopped" end })

local T = {}
T.__index = T

local function to_message(value)
  if value == nil then return nil end
  return tostring(value)
end

-- Records a check; a false condition fails the scenario but lets it go on.
function T:check(cond, message)
  local entry = { ok = cond and true or false, message = to_message(message) or "check" }
  table.insert(self._checks, entry)
  return cond
end

-- Fails the scenario and stops it.
function T:fail(message)
  table.insert(self._checks, { ok = false, message = to_message(message) or "failed" })
  self._stopped = "fail"
  error(STOP, 0)
end

-- Skips the scenario (with the reason) and stops it.
function T:skip(reason)
  self._stopped = "skip"
  self._skip_reason = to_message(reason) or "skipped"
  error(STOP, 0)
end

-- Adds evidence that every report shows.
function T:note(key, value)
  if type(key) ~= "string" then error("note: key must be a string", 2) end
  self._evidence[key] = value
end

-- Appends a line to the scenario's log (print() inside a scenario).
function T:log(...)
  local parts = table.pack(...)
  for i = 1, parts.n do parts[i] = tostring(parts[i]) end
  table.insert(self._log, table.concat(parts, "\t", 1, parts.n))
end

-- A new context. args: --set values over pack defaults over scenario defaults.
function M.new_context(scenario_args)
  return setmetatable({ args = scenario_args, _checks = {}, _evidence = {}, _log = {} }, T)
end

function M.is_stop(value)
  return value == STOP
end

-- Turns a finished context (and how run ended) into status and message.
-- ok/err are what guard.call returned.
function M.outcome(t, ok, err)
  if t._stopped == "skip" then return "skip", t._skip_reason end
  local failures = {}
  for _, c in ipairs(t._checks) do
    if not c.ok then failures[#failures + 1] = c.message end
  end
  if not ok and not M.is_stop(err) then
    return "error", error_text(err)
  end
  if #failures > 0 then return "fail", table.concat(failures, "; ") end
  if #t._checks == 0 then
    return "error", "the scenario made no checks (call t:check, t:fail or t:skip)"
  end
  return "pass", nil
end

return M
