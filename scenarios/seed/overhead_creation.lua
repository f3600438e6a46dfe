-- Overhead: a sandbox container (the sandbox's full configuration) is
-- created and started in under 3 s on average, as sandbox.run measures its
-- own phases (create: the API call; start: until the daemon's StartedAt).
-- `sandprobe bench` reports the same phases with percentiles.
local oh = require("seed_overhead")

return {
  id = "seed.overhead.creation",
  title = "overhead: creating and starting a sandbox container takes under 3 s on average",
  tags = { "overhead", "slow" },
  requires = { "docker" },
  run = function(t)
    local labels = oh.label("creation")
    local creates, starts, totals = {}, {}, {}
    for i = 1, 3 do
      local r = sandbox.run { code = "pass\n", labels = labels }
      t:check(r.exit_code == 0 and r.error == nil, ("run %d succeeded"):format(i))
      creates[i], starts[i] = oh.ms(r.durations.create), oh.ms(r.durations.start)
      totals[i] = (r.durations.create or math.huge) + (r.durations.start or math.huge)
    end
    t:note("create_s", creates)
    t:note("start_s", starts)
    t:note("average_create_plus_start_s", oh.ms(oh.mean(totals)))
    t:check(oh.mean(totals) < 3, "creation (create + start) under 3 s on average")
  end,
}
