-- The generate -> validate -> execute loop shared by the seed.loop.*
-- scenarios: strategies from sandprobe.strategies, each through sandbox.run
-- in a fresh container labelled with this loop's own label, with the
-- engine's execution counters read before and after every iteration.
local strategies = require("sandprobe.strategies")
local probe = require("seed_probe")

local M = {}

M.OUTCOMES = { "ok", "error", "timeout", "oom", "rejected", "failed" }

local function counters()
  local values = {}
  for _, outcome in ipairs(M.OUTCOMES) do
    values[outcome] = metrics.value("sandprobe_sandbox_executions_total", { outcome = outcome })
  end
  return values
end

-- Runs the loop. Returns { label =, since =, until_ =, iterations = {...},
-- diversity = state }, each iteration { strategy =, result =, delta = {outcome = n} }.
-- The loop's own diversity comes from a private monitor over its programs
-- (sandbox.run also feeds the process-wide one, shared with other scenarios).
function M.run(t, name)
  local label = probe.unique(name)
  local loop = { label = label, iterations = {}, since = nil }
  local programs = diversity.new { window = math.max(2, tonumber(t.args.loop_count) or 10) }
  local list = strategies.generate { seed = tonumber(t.args.loop_seed), count = tonumber(t.args.loop_count) }
  for i, s in ipairs(list) do
    local before = counters()
    local r = sandbox.run { code = s.code, labels = { ["seed.loop"] = label }, timeout = 10 }
    local after = counters()
    local delta = {}
    for _, outcome in ipairs(M.OUTCOMES) do delta[outcome] = after[outcome] - before[outcome] end
    loop.since = loop.since or r.started_at
    loop.until_ = r.finished_at
    loop.iterations[i] = { strategy = s, result = r, delta = delta }
    loop.diversity = programs:observe(s.code)
  end
  return loop
end

-- Counts of what happened, by sandbox outcome and by strategy kind.
function M.tally(loop)
  local by_outcome, by_kind = {}, {}
  for _, it in ipairs(loop.iterations) do
    by_outcome[it.result.outcome] = (by_outcome[it.result.outcome] or 0) + 1
    by_kind[it.strategy.kind] = (by_kind[it.strategy.kind] or 0) + 1
  end
  return by_outcome, by_kind
end

function M.describe(counts)
  local keys, parts = {}, {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do parts[#parts + 1] = ("%s=%g"):format(k, counts[k]) end
  return table.concat(parts, " ")
end

return M
