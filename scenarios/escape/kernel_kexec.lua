-- kexec replaces the running kernel.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.kexec",
  title = "kexec_load and kexec_file_load are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "T1611", "T1542" },
  remediation = "Keep kexec_load and kexec_file_load in hardened.escape_syscalls; never add CAP_SYS_BOOT.",
  run = function(t)
    escape.refused_calls(t, {
      { "kexec_load", 0, 0, 0, 0 },
      { "kexec_file_load", -1, -1, 0, 0, 0 },
    })
  end,
}
