-- Helpers shared by the report formats.
--
-- Every text a scenario or a program supplies (ids, titles, messages,
-- evidence, logs) is bytes an attacker may choose. Each format escapes it for
-- its own syntax after M.visible() made it valid UTF-8 that controls nothing
-- (docs/report-schema.md, "Bytes in reports").
local bytes = require("bytes")
local json = require("json")

local M = {}

-- Evidence values as text: strings as they are, anything else as JSON.
function M.evidence_text(value)
  if type(value) == "string" then return value end
  local ok, text = pcall(json.encode, value)
  return ok and text or tostring(value)
end

-- s as valid UTF-8 with every control character but newline and tab shown
-- as a Unicode Control Picture (NUL as "␀", ESC as "␛"), ill-formed bytes
-- and C1 controls as U+FFFD (engine/bytes.c, sp_text_visible).
function M.visible(s)
  return bytes.visible(tostring(s == nil and "" or s))
end

-- The wall time a group of results spans (their start and end offsets from
-- the run's start, set by the runner): with --jobs > 1 less than the sum.
function M.wall_duration(results)
  local first, last
  for _, r in ipairs(results) do
    local start = r.started_s or 0
    local finish = start + (r.duration_s or 0)
    if not first or start < first then first = start end
    if not last or finish > last then last = finish end
  end
  return first and (last - first) or 0
end

-- Evidence keys sorted, so every report lists them in the same order.
function M.sorted_keys(t)
  local keys = {}
  for k in pairs(t or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

local function group_by(results, key_of)
  local groups, index = {}, {}
  for _, r in ipairs(results) do
    local key = key_of(r)
    local g = index[key]
    if not g then
      g = { name = key, results = {} }
      index[key] = g
      groups[#groups + 1] = g
    end
    g.results[#g.results + 1] = r
  end
  return groups
end

-- Results grouped by pack, packs in order of first appearance.
function M.by_pack(results)
  return group_by(results, function(r) return r.pack end)
end

-- Results grouped by runtime ("runtime runsc"), in order of first appearance.
function M.by_runtime(results)
  return group_by(results, function(r) return "runtime " .. tostring(r.runtime) end)
end

-- The scenario x runtime matrix of a run that went through several
-- runtimes, else nil: { runtimes = {...}, rows = { {id =, cells = {[runtime] = status}} } },
-- scenarios in order of first appearance.
function M.matrix(run)
  local runtimes = run.runtimes
  if type(runtimes) ~= "table" or #runtimes < 2 then return nil end
  local rows, index = {}, {}
  for _, r in ipairs(run.results) do
    local row = index[r.id]
    if not row then
      row = { id = r.id, cells = {} }
      index[r.id] = row
      rows[#rows + 1] = row
    end
    row.cells[r.runtime or "?"] = r.status
  end
  return { runtimes = runtimes, rows = rows }
end

function M.count(results, status)
  local n = 0
  for _, r in ipairs(results) do
    if r.status == status then n = n + 1 end
  end
  return n
end

return M
