-- Swap control changes memory behaviour for the whole host.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.swap",
  title = "swapon and swapoff are refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1499" },
  remediation = "Keep swapon and swapoff in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "swapon", 0, 0 },
      { "swapoff", 0 },
    })
  end,
}
