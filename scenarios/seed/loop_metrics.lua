-- V2 loop: the engine's metrics follow what happened. For every iteration
-- the counter sandprobe_sandbox_executions_total{outcome} moved by one for
-- the iteration's outcome; over the loop the executed, rejected and failed
-- counts, and the per-rule rejection counter, match the results. Other
-- sandboxes running at the same time (--jobs > 1) would move the counters
-- too, so the comparison is exact only when the loop's deltas add up to its
-- own iterations, and "at least" otherwise (noted as evidence).
local loop = require("seed_loop")

return {
  id = "seed.loop.metrics",
  title = "Loop: per-iteration metrics count executed, rejected and failed correctly",
  tags = { "loop", "slow", "metrics", "integration" },
  requires = { "docker" },
  timeout = 120,
  run = function(t)
    local rejections_before = {}
    for _, d in ipairs(require("sandprobe.strategies").DANGEROUS) do
      rejections_before[d.rule] = metrics.value("sandprobe_validator_rejections_total", { rule = d.rule })
    end
    local l = loop.run(t, "loop-metrics")
    local exact = true
    local totals = {}
    for i, it in ipairs(l.iterations) do
      local sum = 0
      for outcome, n in pairs(it.delta) do
        sum = sum + n
        totals[outcome] = (totals[outcome] or 0) + n
      end
      if sum ~= 1 then exact = false end
      t:check(it.delta[it.result.outcome] >= 1,
        ("iteration %d: executions_total{outcome=%s} moved"):format(i, it.result.outcome))
    end
    local by_outcome = loop.tally(l)
    t:note("exact", exact)
    t:note("metric_deltas", loop.describe(totals))
    t:note("results", loop.describe(by_outcome))
    local function same(outcome, what)
      local want, got = by_outcome[outcome] or 0, totals[outcome] or 0
      t:check(exact and got == want or got >= want, ("%s: metric %d, results %d"):format(what, got, want))
    end
    same("ok", "executed without error")
    same("error", "failed (non-zero exit)")
    same("rejected", "rejected")
    local rule_counts = {}
    for _, it in ipairs(l.iterations) do
      local rule = it.result.rejected and it.result.findings[1].rule
      if rule then rule_counts[rule] = (rule_counts[rule] or 0) + 1 end
    end
    for rule, n in pairs(rule_counts) do
      local moved = metrics.value("sandprobe_validator_rejections_total", { rule = rule }) - (rejections_before[rule] or 0)
      t:check(exact and moved == n or moved >= n, ("rejections_total{rule=%s}: moved %d, expected %d"):format(rule, moved, n))
    end
  end,
}
