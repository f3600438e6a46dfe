-- memfd_create + fexecve runs a native binary from memory despite the noexec /tmp.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.memfd_exec",
  title = "memfd_create and execveat (running a native binary from memory) are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "T1620", "T1611" },
  remediation = "Keep memfd_create, memfd_secret and execveat in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "memfd_create", 0, 0 },
      { "execveat", -1, 0, 0, 0, 4096 },
    })
  end,
}
