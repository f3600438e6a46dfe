-- V4 diversity: a generator forced to repeat one program, renaming every
-- variable and changing every constant each time, is seen as one program:
-- the diversity score falls to 0, the monitor flags a collapse after
-- collapse_after programs, and the default alert rule
-- SandprobeDiversityCollapsed goes to firing through the alert engine.
local seed_diversity = require("seed_diversity")

return {
  id = "seed.diversity.repeat",
  title = "Diversity: a generator repeating one renamed program collapses and the alert fires",
  tags = { "diversity", "metrics", "quick" },
  remediation = "Normalise identifiers and literals in engine/diversity.c; keep the collapse rule in lua/sandprobe/alerts/default.lua.",
  run = function(t)
    local list = seed_diversity.strategies.repeating { seed = tonumber(t.args.loop_seed), count = 20 }
    t:check(list[1].code ~= list[2].code, "the generator renames: no two programs have the same text")
    local state, lowest, transitions, firing = seed_diversity.feed(list)
    t:note("diversity", seed_diversity.describe(state))
    t:note("alert", table.concat(transitions, "; "))
    t:check(state.unique == 1, ("20 renamed copies count as 1 distinct program (got %d)"):format(state.unique))
    t:check(state.score < seed_diversity.CONFIG.threshold, ("the score fell under the threshold (%.3f)"):format(state.score))
    t:check(lowest == 0, "identical normalised programs score 0")
    t:check(state.collapsed and state.collapse_events == 1, "the monitor flagged one collapse")
    t:check(firing, "SandprobeDiversityCollapsed is firing")
  end,
}
