-- Runs one task in this worker's Lua state: the task and the result are
-- JSON strings, because worker states share nothing with the main state.
-- A task naming a `module` is that module's: its run(task) returns the
-- result text (bench.lua hands out "sandprobe.bench_task" tasks). Any other
-- task is a scenario, run here:
--
-- task:   {id, pack, pack_dir, file, args, timeout, trusted, debug}
-- result: {id, pack, title, tags, status, duration_s, message, evidence,
--          remediation, log, traceback}
local core = require("sandprobe.core")
local env = require("sandprobe.env")
local guard = require("sandprobe.guard")
local json = require("json")
local packs = require("sandprobe.packs")
local requirements = require("sandprobe.requirements")
local scenario = require("sandprobe.scenario")

local M = {}

env.lock_string_metatable()

local function check_requirements(s)
  for _, name in ipairs(s.requires or {}) do
    local ok, why = requirements.check(name)
    if not ok then return ("requires %s: %s"):format(name, why) end
  end
end

local function run_loaded(task, s, t)
  local unmet = check_requirements(s)
  if unmet then return "error", unmet end
  local timeout = s.timeout or task.timeout
  local ok, err, traceback = guard.call(timeout, s.run, t)
  local status, message = scenario.outcome(t, ok, err)
  return status, message, status == "error" and traceback or nil
end

local sandbox = require("sandprobe.sandbox")

local function execute(task)
  sandbox.take_failures() -- only this scenario's count
  local t = scenario.new_context(task.args or {})
  local pack = { name = task.pack, dir = task.pack_dir }
  local extra = { print = function(...) t:log(...) end }
  local s, load_err = packs.load_scenario(pack, task.file, extra, task.trusted)
  local status, message, traceback
  if s then
    status, message, traceback = run_loaded(task, s, t)
  else
    status, message = "error", load_err
  end
  -- A scenario that did not pass shows the sandbox's own failures (the
  -- daemon's error, say) in its evidence, whatever it made of the result.
  local failures = sandbox.take_failures()
  if status ~= "pass" and #failures > 0 and t._evidence.sandbox_errors == nil then
    t._evidence.sandbox_errors = failures
  end
  return {
    id = task.id, pack = task.pack, file = task.file,
    title = s and s.title or task.title, tags = s and s.tags or task.tags or {},
    remediation = s and s.remediation or nil,
    status = status, message = message,
    evidence = t._evidence, log = t._log,
    traceback = task.debug and traceback or nil,
  }
end

function M.run(task_json)
  local task = assert(json.decode(task_json))
  if task.module then return require(task.module).run(task) end
  local started = core.monotonic()
  local ok, result
  local gone = require("sandprobe.startup").daemon_unreachable()
  if gone ~= nil then
    -- Not run: each scenario would only fail on the same dead daemon; the
    -- run stops with this one error (cmd/run.lua).
    ok, result = true, { id = task.id, pack = task.pack, title = task.title, tags = task.tags or {},
                         status = "skip", message = "not run: the Docker daemon stopped answering", evidence = {} }
  else
    ok, result = pcall(execute, task)
  end
  if not ok then
    result = { id = task.id, pack = task.pack, title = task.title, tags = task.tags or {},
               status = "error", message = "engine error: " .. tostring(result), evidence = {} }
  end
  -- Containers a scenario dropped (an error or time-out before its <close>
  -- variables ran) are removed by their __gc: collect now, not at exit.
  collectgarbage("collect")
  collectgarbage("collect")
  result.duration_s = core.monotonic() - started
  local encoded_ok, text = pcall(json.encode, result, { binary = true })
  if not encoded_ok then
    result.evidence = { error = "evidence could not be encoded: " .. tostring(text) }
    text = json.encode(result, { binary = true })
  end
  return text
end

return M
