-- V2: the container is removed whatever happened: after a failing program,
-- an OOM-killed one, and when the sandbox itself fails part-way (an image
-- that does not exist: nothing may be left either). Asked of the daemon by id
-- and by this probe's label.
local probe = require("seed_probe")

return {
  id = "seed.sandbox.cleanup",
  title = "sandbox: the container is removed after a failure",
  tags = { "cleanup", "integration", "slow" },
  requires = { "docker" },
  run = function(t)
    local label = probe.unique("cleanup")
    local labels = { ["seed.probe"] = label }
    local failed = sandbox.run { code = "raise ValueError('x')\n", labels = labels }
    t:check(failed.exit_code == 1 and failed.container_id ~= nil, "a failing program ran in a container")
    t:check(probe.gone(failed.container_id), "its container is gone (inspect by id: 404)")
    local broken = sandbox.run { code = "print(1)\n", image = "sandprobe/does-not-exist:0", labels = labels }
    t:note("sandbox_error", broken.error)
    t:check(broken.error ~= nil and broken.outcome == "failed", "a missing image is a sandbox failure")
    local killed = sandbox.run { code = "while True:\n    pass\n", timeout = 1, labels = labels }
    t:check(killed.timed_out and probe.gone(killed.container_id), "a killed program's container is gone")
    local left = assert(docker.list { labels = { "seed.probe=" .. label } })
    t:note("left_behind", #left)
    t:check(#left == 0, "no container with this probe's label is left")
  end,
}
