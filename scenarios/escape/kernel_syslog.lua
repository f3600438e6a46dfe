-- The kernel log leaks addresses and host activity.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.syslog",
  title = "syslog (the kernel log buffer) is refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1082" },
  remediation = "Keep syslog in hardened.escape_syscalls; never add CAP_SYSLOG.",
  run = function(t)
    escape.refused_calls(t, {
      { "syslog", 10, 0, 0 },
    })
  end,
}
