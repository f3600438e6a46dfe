-- Runs a selection of scenarios and produces the run record the reports
-- render: finds packs, selects scenarios, hands them to worker threads, and
-- collects the results in selection order (stable whatever --jobs is).
local core = require("sandprobe.core")
local json = require("json")
local metrics = require("metrics")
local packs = require("sandprobe.packs")
local selection = require("sandprobe.selection")

local M = {}

M.DEFAULT_TIMEOUT_S = 60

-- Raised for configuration problems (exit status 2 with a one-line message).
local config_error = require("sandprobe.config_error").raise

local function iso8601(t)
  local seconds = math.floor(t)
  local millis = math.floor((t - seconds) * 1000)
  return os.date("!%Y-%m-%dT%H:%M:%S", seconds) .. (".%03dZ"):format(millis)
end

-- --set key=value pairs over the pack's defaults. Values that look like
-- numbers or booleans where the default is one are converted.
local function scenario_args(pack, sets)
  local merged = {}
  for k, v in pairs(pack.defaults) do merged[k] = v end
  for k, v in pairs(sets) do
    local default = pack.defaults[k]
    if type(default) == "number" then
      v = tonumber(v) or config_error(("--set %s: '%s' is not a number"):format(k, v))
    elseif type(default) == "boolean" then
      v = (v == "true" or v == "1" or v == "yes")
    end
    merged[k] = v
  end
  return merged
end

local function parse_sets(list)
  local sets = {}
  for _, kv in ipairs(list or {}) do
    local k, v = kv:match("^([%w_%.%-]+)=(.*)$")
    if not k then config_error(("--set needs key=value, not '%s'"):format(kv)) end
    sets[k] = v
  end
  return sets
end

-- Loads packs and picks the scenarios; returns entries and packs by name.
function M.plan(words, pack_paths)
  for _, dir in ipairs(pack_paths or {}) do
    local ok, err = packs.add_root(dir)
    if not ok then config_error(err) end
  end
  local found, err = packs.discover()
  if not found then config_error(err) end
  local entries, cat_err = packs.catalogue(found)
  if not entries then config_error(cat_err) end
  local by_name = {}
  for _, p in ipairs(found) do by_name[p.name] = p end
  return selection.select(entries, words), by_name
end

local function make_tasks(chosen, packs_by_name, opts)
  local sets, trusted = parse_sets(opts.set), {}
  for _, name in ipairs(opts.trust or {}) do
    if not packs_by_name[name] then config_error(("--trust: no pack named '%s'"):format(name)) end
    trusted[name] = true
  end
  local tasks = {}
  for i, e in ipairs(chosen) do
    local pack = packs_by_name[e.pack]
    tasks[i] = json.encode({
      id = e.id, pack = e.pack, pack_dir = pack.dir, file = e.file, title = e.title,
      tags = json.array(e.tags), args = scenario_args(pack, sets),
      timeout = opts.timeout or M.DEFAULT_TIMEOUT_S, trusted = trusted[e.pack] or false,
      debug = opts.debug or false,
    })
  end
  return tasks
end

function M.summarise(results)
  local summary = { pass = 0, fail = 0, error = 0, skip = 0, total = #results }
  for _, r in ipairs(results) do summary[r.status] = summary[r.status] + 1 end
  return summary
end

local function decode_result(entry, text, err)
  local r = text and json.decode(text, { binary = true })
  if r then return r end
  return { id = entry.id, pack = entry.pack, title = entry.title, tags = entry.tags,
           status = "error", message = "worker failed: " .. tostring(err), evidence = {},
           duration_s = 0 }
end

-- sandprobe_scenario_results_total and _duration_seconds, in the main state
-- as each result arrives (so they move during the run, whatever --jobs is).
local function record_metrics(r)
  local families = metrics.catalogue()
  local pack = r.pack or "unknown"
  families.sandprobe_scenario_results_total:inc { pack = pack, status = r.status }
  families.sandprobe_scenario_duration_seconds:observe(r.duration_s or 0, { pack = pack })
end

-- Runs the chosen scenarios. opts: jobs, timeout, set, trust, debug,
-- on_result(result) called as each finishes. Returns the run record.
function M.execute(chosen, packs_by_name, opts)
  local tasks = make_tasks(chosen, packs_by_name, opts)
  local started_wall, started = core.now(), core.monotonic()
  local results = {}
  core.run_workers(opts.jobs or 1, tasks, function(i, text, err)
    results[i] = decode_result(chosen[i], text, err)
    -- When it started, in seconds from the run's start (suites' wall time).
    results[i].started_s = math.max(0, core.monotonic() - started - (results[i].duration_s or 0))
    record_metrics(results[i])
    if opts.on_result then opts.on_result(results[i], i, #tasks) end
  end)
  return {
    schema = 1,
    tool = { name = "sandprobe", version = core.version },
    started = iso8601(started_wall),
    duration_s = core.monotonic() - started,
    results = results,
    summary = M.summarise(results),
  }
end

-- Exit status for a finished run: 0 when nothing failed or errored.
function M.exit_status(run)
  if run.summary.fail > 0 or run.summary.error > 0 then return 1 end
  return 0
end

return M
