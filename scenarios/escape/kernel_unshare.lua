-- A new user namespace gives every capability inside it, the first step of most kernel exploits from containers.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.unshare",
  title = "unshare of user, mount and cgroup namespaces is refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "CVE-2022-0492", "CVE-2022-0185", "T1611" },
  remediation = "Keep unshare in hardened.escape_syscalls; Docker's own profile allows it with CAP_SYS_ADMIN.",
  run = function(t)
    escape.refused_calls(t, {
      { "unshare", 0x12020000 },
    })
  end,
}
