-- setns with a namespace file descriptor that leaks into the sandbox would join the host's namespaces.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.setns",
  title = "setns (joining another namespace) is refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "T1611" },
  remediation = "Keep setns in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "setns", -1, 0 },
    })
  end,
}
