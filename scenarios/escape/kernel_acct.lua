-- Process accounting is host-wide: switching it writes or stops the host's accounting file.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.acct",
  title = "acct (process accounting) is refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1562" },
  remediation = "Keep acct in hardened.escape_syscalls; never add CAP_SYS_PACCT.",
  run = function(t)
    escape.refused_calls(t, {
      { "acct", 0 },
    })
  end,
}
