-- V3 Layer 5: a 600 MB allocation under --memory 512m --memory-swap 512m
-- (no swap, nothing else of the sandbox) ends in an OOM kill or a
-- MemoryError. Evidence: the cgroup's own OOM-kill counter (sampled by the
-- resource monitor while the container runs: the cgroup is gone soon after
-- it exits), the daemon's State.OOMKilled and its `oom` event.
local probe = require("seed_probe")

-- b"\x01" * n writes every page; bytearray(n) would only reserve zero pages.
local CODE = [[
block = b"\x01" * (600 * 1024 * 1024)
print("allocated", len(block))
]]

return {
  id = "seed.layer5.memory",
  title = "Layer 5: 600 MB under a 512 MB limit without swap ends in an OOM kill",
  tags = { "layer5", "memory", "critical", "slow" },
  remediation = "Set HostConfig.Memory and MemorySwap to the same value.",
  requires = { "docker" },
  run = function(t)
    local r = probe.probe({ Memory = "512m", MemorySwap = "512m" }, CODE, { watch = true })
    local sample = r.sample or {}
    t:note("exit_code", r.exit_code)
    t:note("state_oom_killed", r.state.OOMKilled)
    t:note("oom_events", r.oom_events)
    t:note("cgroup_oom_kills", sample.oom_kills)
    t:note("cgroup_memory_limit_bytes", sample.memory_limit_bytes)
    t:note("cgroup_swap_limit_bytes", sample.swap_limit_bytes)
    t:note("cgroup_memory_peak_bytes", sample.memory_peak_bytes)
    local memory_error = r.stderr:find("MemoryError", 1, true) ~= nil
    local oom = r.state.OOMKilled or r.oom_events > 0 or (sample.oom_kills or 0) > 0
    t:check(not r.stdout:find("allocated", 1, true), "the allocation did not succeed")
    t:check(oom or memory_error, "the program was OOM-killed or got MemoryError")
    if oom then t:check(r.exit_code == 137, "an OOM-killed program exits with 137 (SIGKILL)") end
    if sample.memory_limit_bytes then
      t:check(sample.memory_limit_bytes == 512 * 1024 * 1024, "the cgroup's limit is 512 MiB")
    end
  end,
}
