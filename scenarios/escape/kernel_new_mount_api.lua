-- CVE-2022-0185 was a heap overflow in fsconfig reachable from an unprivileged user namespace.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.new_mount_api",
  title = "The new mount API (fsopen, fsmount, move_mount, open_tree, ...) is refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "CVE-2022-0185", "T1611" },
  remediation = "Keep fsopen, fsconfig, fsmount, fspick, move_mount, open_tree and mount_setattr in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "fsopen", 0, 0 },
      { "fsconfig", -1, 0, 0, 0, 0 },
      { "fsmount", -1, 0, 0 },
      { "fspick", -1, 0, 0 },
      { "move_mount", -1, 0, -1, 0, 0 },
      { "open_tree", -1, 0, 0 },
      { "mount_setattr", -1, 0, 0, 0, 0 },
    })
  end,
}
