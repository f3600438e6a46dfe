-- pidfd_getfd copies a file descriptor out of another process.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.other_processes",
  title = "kcmp and pidfd_getfd (other processes' files) are refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1055" },
  remediation = "Keep kcmp and pidfd_getfd in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "kcmp", 1, 1, 0, 0, 0 },
      { "pidfd_getfd", -1, 0, 0 },
    })
  end,
}
