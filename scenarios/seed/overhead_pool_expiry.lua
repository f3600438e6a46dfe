-- Pool: a warm container older than max_age is replaced by a new one on the
-- next refill, and the old one is removed from the daemon.
local oh = require("seed_overhead")
local pool = require("sandprobe.pool")
local probe = require("seed_probe")

return {
  id = "seed.overhead.pool_expiry",
  title = "pool: an expired warm container is replaced",
  tags = { "overhead", "pool", "slow" },
  requires = { "docker" },
  run = function(t)
    local labels, selector = oh.label("pool_expiry")
    local p <close> = pool.new { size = 1, max_age = 1, labels = labels }
    local old = p:ids()[1]
    local fresh_refill = p:refill()
    -- Waits out max_age on the daemon's side: a sleeping container.
    sandbox.run { code = "import time\ntime.sleep(1.2)\n", validate = false, labels = labels }
    local added = p:refill()
    local new = p:ids()[1]
    t:note("old", old)
    t:note("new", new)
    t:note("pool", p:stats())
    t:check(fresh_refill == 0, "a container younger than max_age is kept")
    t:check(added == 1 and p:stats().expired == 1, "the expired container was replaced")
    t:check(new ~= nil and new ~= old, "the pool holds a new container")
    t:check(probe.gone(old), "the expired container is gone from the daemon")
    t:check(oh.count(selector) == 1, "only the new warm container remains")
  end,
}
