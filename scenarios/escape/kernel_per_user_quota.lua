-- Every sandbox runs as the same uid (1000), and some kernel objects are
-- counted per uid host-wide with a small quota: inotify instances (128 by
-- default, fs.inotify.max_user_instances). One sandbox taking them all
-- would take them from every other sandbox and host process of that uid.
-- Each call uses arguments that fail harmlessly should it reach the kernel
-- (an inotify instance made here would be closed with the probe).
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.per_user_quota",
  title = "inotify (a per-uid host-wide quota shared by every sandbox) is refused",
  tags = { "layer4", "seccomp", "kernel", "isolation" },
  references = { "T1499", "T1499.004" },
  remediation = "Keep inotify_init, inotify_init1, inotify_add_watch and inotify_rm_watch in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "inotify_init" },
      { "inotify_init1", 0 },
      { "inotify_add_watch", -1, 0, 0 },
    })
  end,
}
