-- Creates and starts a container that sleeps, writes its id to
-- $SANDPROBE_HOLD_FILE and waits: the signal tests then kill the engine.
-- No <close> here on purpose: only the engine's exit clean-up (or the next
-- run's sweep) may remove it.
local docker = require("docker")
local c = assert(docker.create {
  image = os.getenv("SANDPROBE_IMAGE") or "sandprobe/python:3.11",
  cmd = { "sleep", "300" },
  host_config = { NetworkMode = "none" },
})
assert(c:start())
local f = assert(io.open(assert(os.getenv("SANDPROBE_HOLD_FILE")), "w"))
f:write(c:id())
f:close()
c:wait(300)
