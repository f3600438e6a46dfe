-- reboot (with an invalid magic number here) would restart or halt the host.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.reboot",
  title = "reboot is refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1529" },
  remediation = "Keep reboot in hardened.escape_syscalls; never add CAP_SYS_BOOT.",
  run = function(t)
    escape.refused_calls(t, {
      { "reboot", 0, 0, 0, 0 },
    })
  end,
}
