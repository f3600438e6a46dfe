-- Without a private UTS namespace they would rename the host.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.hostname",
  title = "sethostname and setdomainname are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "T1611" },
  remediation = "Keep sethostname and setdomainname in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "sethostname", 0, 0 },
      { "setdomainname", 0, 0 },
    })
  end,
}
