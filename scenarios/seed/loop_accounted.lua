-- V2 loop: 10 iterations of generate -> validate -> execute, each in a fresh
-- container; every strategy is accounted for with the outcome its kind
-- calls for: valid ones print the answer computed in Lua, failing ones exit
-- 1, dangerous ones are rejected by the rule expected and never get a
-- container.
local loop = require("seed_loop")

local function has_rule(findings, rule)
  for _, f in ipairs(findings) do
    if f.rule == rule then return true end
  end
  return false
end

return {
  id = "seed.loop.accounted",
  title = "Loop: 10 generated strategies, each validated and executed, all accounted for",
  tags = { "loop", "slow", "integration" },
  requires = { "docker" },
  timeout = 120,
  run = function(t)
    local l = loop.run(t, "loop-accounted")
    local by_outcome, by_kind = loop.tally(l)
    t:note("by_kind", loop.describe(by_kind))
    t:note("by_outcome", loop.describe(by_outcome))
    local d = l.diversity
    t:note("diversity", ("score=%.3f unique=%d total=%d window=%d collapsed=%s"):format(
      d.score, d.unique, d.total, d.window, tostring(d.collapsed)))
    t:check(d.total == #l.iterations and not d.collapsed, "the loop's diversity covers every program, no collapse")
    t:check(#l.iterations == tonumber(t.args.loop_count), "every iteration produced a result")
    t:check((by_kind.dangerous or 0) > 0 and (by_kind.valid or 0) > 0, "the generator mixed valid and dangerous strategies")
    local containers = {}
    for i, it in ipairs(l.iterations) do
      local s, r = it.strategy, it.result
      local what = ("iteration %d (%s %s)"):format(i, s.kind, s.name)
      t:check(r.outcome == s.expect, ("%s: outcome %s, expected %s"):format(what, tostring(r.outcome), s.expect))
      if s.kind == "valid" then
        t:check(r.stdout == s.stdout, ("%s: printed %q, expected %q"):format(what, r.stdout, s.stdout))
      elseif s.kind == "dangerous" then
        t:check(r.container_id == nil and has_rule(r.findings, s.rule), what .. ": rejected by " .. s.rule .. " without a container")
      else
        t:check(r.exit_code == 1 and r.stderr:find("Error", 1, true), what .. ": exit 1 with a traceback")
      end
      if r.container_id then
        t:check(not containers[r.container_id], what .. ": a fresh container")
        containers[r.container_id] = true
      end
    end
  end,
}
