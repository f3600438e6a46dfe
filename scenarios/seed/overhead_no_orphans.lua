-- Overhead: after a small benchmark (cold runs, a warm pool serving runs and
-- refilling, a timed-out run, then the pool drained) the daemon has no
-- container left with this scenario's label. The label is seen on the pool's
-- containers while they live, so the question asked is one that can say yes.
local oh = require("seed_overhead")
local pool = require("sandprobe.pool")

return {
  id = "seed.overhead.no_orphans",
  title = "overhead: no container is left behind after a benchmark",
  tags = { "overhead", "cleanup", "slow" },
  requires = { "docker" },
  run = function(t)
    local labels, selector = oh.label("no_orphans")
    local p = pool.new { size = 2, labels = labels }
    local while_warm = oh.count(selector)
    for _ = 1, 2 do sandbox.run { code = "pass\n", labels = labels } end
    for _ = 1, 3 do
      p:run { code = "print(1)\n", labels = labels }
      p:refill()
    end
    local timed_out = p:run { code = "while True:\n    pass\n", timeout = 1, labels = labels }
    local stats = p:stats()
    p:drain()
    local after = oh.count(selector)
    t:note("while_pool_warm", while_warm)
    t:note("pool", stats)
    t:note("left_behind", after)
    t:check(while_warm == 2, "the label finds the pool's two warm containers")
    t:check(timed_out.timed_out, "a pooled run was killed at its time limit")
    t:check(after == 0, "no container with this scenario's label is left")
  end,
}
