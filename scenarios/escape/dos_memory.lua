-- A memory bomb must end in the sandbox's own OOM kill at the memory limit
-- (no swap), not in the host's OOM killer. Safe: bounded by the cgroup.
local escape = require("escape")

return escape.scenario {
  id = "escape.dos.memory",
  title = "A memory bomb is OOM-killed at the memory limit",
  tags = { "layer5", "dos", "critical" },
  references = { "T1499.001" },
  remediation = "Keep memory = \"512m\" and memory_swap equal to it (no swap).",
  timeout = 60,
  run = function(t)
    local r = escape.run([=[
blocks = []
while True:
    blocks.append(bytearray(16 << 20))
]=], { timeout = 30 })
    t:note("oom_killed", r.oom_killed)
    t:note("oom_evidence", table.concat(r.oom_evidence, ","))
    t:note("exit_code", r.exit_code)
    t:check(r.error == nil, "the run finished (" .. tostring(r.error) .. ")")
    t:check(not r.timed_out, "it did not run until the time limit")
    t:check(r.oom_killed or r.exit_code == 137 or r.stderr:find("MemoryError", 1, true),
      "it ended at the memory limit (OOM kill or MemoryError)")
  end,
}
