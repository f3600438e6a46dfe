-- Keyrings are not namespaced: a container could read or fill keys of the host, and the keyring code had exploitable bugs (CVE-2016-0728).
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.keyring",
  title = "The kernel keyring (keyctl, add_key, request_key) is refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "CVE-2016-0728", "T1611", "T1552" },
  remediation = "Keep keyctl, add_key and request_key in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "keyctl", 0, -3, 0, 0, 0 },
      { "add_key", 0, 0, 0, 0, 0 },
      { "request_key", 0, 0, 0, 0 },
    })
  end,
}
