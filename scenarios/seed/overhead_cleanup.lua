-- Overhead: removing a used sandbox container takes under 1 s on average,
-- and the container is really gone (asked of the daemon by id and label).
local oh = require("seed_overhead")
local probe = require("seed_probe")

return {
  id = "seed.overhead.cleanup",
  title = "overhead: cleaning up a sandbox container takes under 1 s on average",
  tags = { "overhead", "cleanup", "slow" },
  requires = { "docker" },
  run = function(t)
    local labels, selector = oh.label("cleanup")
    local removes = {}
    for i = 1, 3 do
      local r = sandbox.run { code = "print('x' * 1000)\n", labels = labels }
      t:check(r.exit_code == 0 and r.error == nil, ("run %d succeeded"):format(i))
      removes[i] = r.durations.remove or math.huge
      t:check(probe.gone(r.container_id), ("run %d: its container is gone (404 on inspect)"):format(i))
    end
    t:note("remove_s", removes)
    t:note("average_remove_s", oh.ms(oh.mean(removes)))
    t:note("left_with_label", oh.count(selector))
    t:check(oh.mean(removes) < 1, "removal under 1 s on average")
    t:check(oh.count(selector) == 0, "no container with this scenario's label is left")
  end,
}
