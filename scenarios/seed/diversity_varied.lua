-- V4 diversity: the loop's own generator, which mixes several valid,
-- failing and dangerous strategies, keeps the diversity score up: over 40
-- programs the monitor never flags a collapse and the alert stays quiet.
local seed_diversity = require("seed_diversity")

return {
  id = "seed.diversity.varied",
  title = "Diversity: a varied generator keeps the score up and the collapse alert quiet",
  tags = { "diversity", "metrics", "quick" },
  remediation = "Check the shingle hashing in engine/diversity.c: different programs must not look alike.",
  run = function(t)
    local list = seed_diversity.strategies.generate { seed = tonumber(t.args.loop_seed), count = 40 }
    local state, lowest, transitions, firing = seed_diversity.feed(list)
    t:note("diversity", seed_diversity.describe(state))
    t:note("lowest_score", ("%.3f"):format(lowest))
    t:check(lowest >= 0.5, ("the score stayed at 0.5 or above (lowest %.3f)"):format(lowest))
    t:check(state.unique > 1 and state.unique < state.total,
      ("distinct programs counted after normalisation: %d of %d"):format(state.unique, state.total))
    t:check(not state.collapsed and state.collapse_events == 0, "no collapse")
    t:check(#transitions == 0 and not firing, "SandprobeDiversityCollapsed never left inactive")
  end,
}
