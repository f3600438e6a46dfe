-- Every byte a program writes is copied by dockerd, containerd and the shim
-- (CPU outside the container's cgroup and its quota) as long as the client
-- reads; max_output only bounds what is kept. Past the flood bound
-- (sandbox.flood_bytes: 16 x max_output, at least 16 MiB) the attach stops
-- reading and the container is killed, long before the time limit. Safe:
-- zeros through the attach stream, at most the bound plus what is in flight.
local escape = require("escape")

local TIME_LIMIT = 20

return escape.scenario {
  id = "escape.dos.output_flood_bound",
  title = "An endless output flood is stopped at the flood bound, not copied until the time limit",
  tags = { "layer5", "dos" },
  references = { "T1499.001", "T1496" },
  remediation = "Keep sandbox.flood_bytes bounded (the attach's flood_bytes) and max_output small.",
  run = function(t)
    local o = escape.options()
    local r = escape.run([=[
chunk = b"\0" * 65536
while True:
    os.write(1, chunk)
]=], { timeout = TIME_LIMIT })
    t:note("outcome", tostring(r.outcome))
    t:note("flood_bytes", sandbox.flood_bytes(o))
    t:note("attach_seconds", r.durations.attach)
    t:note("stdout_kept_bytes", #r.stdout)
    t:check(r.error == nil, "the run finished (" .. tostring(r.error) .. ")")
    t:check(r.output_flooded == true and r.outcome == "flood", ("the run ended as a flood (outcome %s)"):format(tostring(r.outcome)))
    t:check(not r.timed_out, "it did not run to the time limit")
    t:check(r.exit_code == 137, ("the container was killed (exit %s)"):format(tostring(r.exit_code)))
    t:check((r.durations.attach or TIME_LIMIT) < TIME_LIMIT / 4,
      ("the output was read for %.2f s of a %d s time limit"):format(r.durations.attach or -1, TIME_LIMIT))
    t:check(#r.stdout <= o.max_output, "at most max_output bytes kept")
  end,
}
