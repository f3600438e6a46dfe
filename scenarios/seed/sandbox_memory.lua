-- V2: the memory layer through sandbox.run: oom_killed with its evidence.
return {
  id = "seed.sandbox.memory",
  title = "sandbox.run: a 600 MB allocation is OOM-killed and reported",
  tags = { "layer5", "memory", "integration", "slow" },
  requires = { "docker" },
  run = function(t)
    local before = metrics.value("sandprobe_sandbox_oom_kills_total")
    local r = sandbox.run { code = "block = b'x' * (600 * 1024 * 1024)\nprint(len(block))\n" }
    t:note("exit_code", r.exit_code)
    t:note("oom_evidence", table.concat(r.oom_evidence, ", "))
    t:note("cgroup_oom_kills", r.cgroup and r.cgroup.oom_kills)
    t:check(r.oom_killed or r.stderr:find("MemoryError", 1, true), "OOM-killed or MemoryError")
    t:check(r.stdout == "", "the allocation never completed")
    if r.oom_killed then
      t:check(r.outcome == "oom" and r.exit_code == 137, "outcome oom, exit code 137")
      t:check(metrics.value("sandprobe_sandbox_oom_kills_total") >= before + 1, "the OOM kill is counted")
    end
  end,
}
