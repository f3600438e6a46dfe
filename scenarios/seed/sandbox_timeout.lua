-- V2: a program running past the wall-clock limit is killed, its output up
-- to then is kept, and its container is gone afterwards.
local probe = require("seed_probe")

return {
  id = "seed.sandbox.timeout",
  title = "sandbox.run: the time limit kills the program and removes its container",
  tags = { "layer5", "timeout", "integration", "slow" },
  requires = { "docker" },
  run = function(t)
    local r = sandbox.run { timeout = 1.5, validate = false, code = [[
import time
print("started")
while True:
    time.sleep(0.1)
]] }
    t:note("durations.total", r.durations.total)
    t:note("exit_code", r.exit_code)
    t:check(r.timed_out and r.outcome == "timeout", "timed_out is set")
    t:check(r.exit_code == 137, "killed with SIGKILL (137)")
    t:check(r.stdout == "started\n", "output before the kill is kept")
    t:check(r.durations.total >= 1.5 and r.durations.total < 6, "stopped soon after the limit")
    local gone, err = probe.gone(r.container_id)
    t:note("inspect_after", err)
    t:check(gone, "the daemon no longer has the container")

    -- Closing stdout and stderr ends the output stream, not the program: the
    -- limit still holds.
    -- (guard off: os is out of the run-time guard's reach)
    local quiet = sandbox.run { timeout = 1.5, validate = false, guard = false, code = [[
import os, time
os.close(1)
os.close(2)
time.sleep(60)
]] }
    t:note("closed_streams.total", quiet.durations.total)
    t:check(quiet.timed_out and quiet.exit_code == 137, "a program that closed its output is killed at the limit too")
    t:check(quiet.durations.total < 6, "and not later")
  end,
}
