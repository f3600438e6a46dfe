-- Reading and writing other processes' memory; ptrace had escalations (CVE-2019-13272) and Docker's profile allows it on kernels >= 4.8.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.ptrace",
  title = "ptrace and process_vm_readv/writev are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "CVE-2019-13272", "T1611", "T1055" },
  remediation = "Keep ptrace, process_vm_readv and process_vm_writev in hardened.escape_syscalls; never add CAP_SYS_PTRACE.",
  run = function(t)
    escape.refused_calls(t, {
      { "ptrace", 2, 0, 0, 0 },
      { "process_vm_readv", 1, 0, 0, 0, 0, 0 },
      { "process_vm_writev", 1, 0, 0, 0, 0, 0 },
    })
  end,
}
