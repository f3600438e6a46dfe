-- Shared by the seed.diversity.* scenarios: a private diversity monitor (so
-- scenarios running beside this one cannot move its score) and the default
-- alert rules evaluated through the alert engine against its figures, read
-- under the metric names the process-wide monitor publishes.
local strategies = require("sandprobe.strategies")

local M = {}

M.CONFIG = { window = 10, threshold = 0.2, collapse_after = 5 }

-- The default rules, evaluated against a monitor's state.
function M.alert_manager()
  return alerts.load(require("sandprobe.alerts.default"))
end

function M.lookup(state)
  local values = {
    sandprobe_diversity_score = state.score,
    sandprobe_diversity_collapsed = state.collapsed and 1 or 0,
    sandprobe_diversity_unique_programs = state.unique,
    sandprobe_diversity_programs = state.total,
  }
  return function(metric) return values[metric] end
end

-- Feeds `list` (strategies) one by one; after each, the alert rules are
-- evaluated at a fake clock one second later. Returns the last state, the
-- lowest score seen, and the transitions of SandprobeDiversityCollapsed.
function M.feed(list)
  local monitor = diversity.new(M.CONFIG)
  local manager = M.alert_manager()
  local state, lowest, transitions = nil, 1, {}
  for i, s in ipairs(list) do
    state = monitor:observe(s.code)
    lowest = math.min(lowest, state.score)
    for _, tr in ipairs(manager:evaluate(1000 + i, M.lookup(state))) do
      if tr.name == "SandprobeDiversityCollapsed" then
        transitions[#transitions + 1] = ("%s->%s at program %d"):format(tr.from, tr.to, i)
      end
    end
  end
  local firing = false
  for _, st in ipairs(manager:firing()) do
    if st.name == "SandprobeDiversityCollapsed" then firing = true end
  end
  manager:close()
  return state, lowest, transitions, firing
end

function M.describe(state)
  return ("score=%.3f unique=%d total=%d window=%d collapsed=%s collapse_events=%d"):format(
    state.score, state.unique, state.total, state.window, tostring(state.collapsed), state.collapse_events)
end

M.strategies = strategies

return M
