-- Raw I/O port access reaches hardware directly.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.iopl",
  title = "iopl and ioperm (raw I/O ports) are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "T1611" },
  remediation = "Keep iopl and ioperm in hardened.escape_syscalls; never add CAP_SYS_RAWIO.",
  run = function(t)
    escape.refused_calls(t, {
      { "iopl", 3 },
      { "ioperm", 0, 1, 1 },
    })
  end,
}
