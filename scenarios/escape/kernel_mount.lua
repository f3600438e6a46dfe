-- mount/umount2 let a process with CAP_SYS_ADMIN in any user namespace rearrange its view of the file system (and reach host file systems through a new user namespace); the hardened profile must refuse them whatever the capabilities.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.mount",
  title = "mount and umount2 are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "CVE-2022-0185", "T1611" },
  remediation = "Keep mount and umount2 in hardened.escape_syscalls (lua/sandprobe/profiles/hardened.lua), or run with --security-opt seccomp=hardened; never add CAP_SYS_ADMIN.",
  run = function(t)
    escape.refused_calls(t, {
      { "mount", 0, 0, 0, 0, 0 },
      { "umount2", 0, 0 },
    })
  end,
}
