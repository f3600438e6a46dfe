-- The eBPF verifier had many privilege escalations (CVE-2021-3490, CVE-2021-31440).
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.bpf",
  title = "bpf() is refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "CVE-2021-3490", "CVE-2021-31440", "T1611", "T1068" },
  remediation = "Keep bpf in hardened.escape_syscalls; never add CAP_BPF or CAP_SYS_ADMIN.",
  run = function(t)
    escape.refused_calls(t, {
      { "bpf", 5, 0, 0 },
    })
  end,
}
