-- Pool: draining removes every warm container (asked of the daemon by
-- label), and a drained pool hands out nothing.
local oh = require("seed_overhead")
local pool = require("sandprobe.pool")

return {
  id = "seed.overhead.pool_drain",
  title = "pool: draining leaves nothing behind",
  tags = { "overhead", "pool", "cleanup", "slow" },
  requires = { "docker" },
  run = function(t)
    local labels, selector = oh.label("pool_drain")
    local p = pool.new { size = 3, labels = labels }
    local before = assert(docker.list { labels = { selector } })
    local running = 0
    for _, c in ipairs(before) do
      if c.State == "running" then running = running + 1 end
    end
    local removed = p:drain()
    local after = oh.count(selector)
    local c, why = p:acquire()
    t:note("warm_before", running)
    t:note("removed", removed)
    t:note("left_after", after)
    t:check(running == 3, "three warm containers were running")
    t:check(removed == 3 and after == 0, "drain removed all three; the daemon has none left")
    t:check(c == nil and tostring(why):find("drained") ~= nil, "a drained pool hands out nothing")
  end,
}
