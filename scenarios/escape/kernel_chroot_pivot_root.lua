-- chroot and pivot_root change the root, the first steps of classic chroot breakouts.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.chroot_pivot_root",
  title = "chroot and pivot_root are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "T1611" },
  remediation = "Keep chroot and pivot_root in hardened.escape_syscalls; never add CAP_SYS_CHROOT.",
  run = function(t)
    escape.refused_calls(t, {
      { "chroot", 0 },
      { "pivot_root", 0, 0 },
    })
  end,
}
