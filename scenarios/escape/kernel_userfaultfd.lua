-- userfaultfd stalls the kernel at a chosen page fault, the race widener of many exploits.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.userfaultfd",
  title = "userfaultfd is refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1068" },
  remediation = "Keep userfaultfd in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "userfaultfd", 1 },
    })
  end,
}
