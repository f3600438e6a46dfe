-- fanotify watches whole mounts, including the host's.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.fanotify",
  title = "fanotify_init (watching host file systems) is refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1083" },
  remediation = "Keep fanotify_init in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "fanotify_init", 0, 0 },
    })
  end,
}
