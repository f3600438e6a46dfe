-- clone without CLONE_THREAD makes a process, with namespace flags a process in new namespaces; clone3 cannot be filtered by its flags and must fall back to clone.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.clone_namespaces",
  title = "clone with namespace flags (a process in new namespaces) and clone3 are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "CVE-2022-0492", "T1611" },
  remediation = "Keep hardened's deny_clone_without_thread() and clone3 refused with ENOSYS (hardened.fallback_to_clone).",
  run = function(t)
    escape.refused_calls(t, {
      { "clone", 0x70020011, 0, 0, 0, 0 },
      { "clone3", 0, 0 },
    })
  end,
}
