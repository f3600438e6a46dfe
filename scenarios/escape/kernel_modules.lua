-- A kernel module runs with every privilege on the host.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.modules",
  title = "init_module, finit_module and delete_module are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "T1611", "T1547.006" },
  remediation = "Keep init_module, finit_module and delete_module in hardened.escape_syscalls; never add CAP_SYS_MODULE.",
  run = function(t)
    escape.refused_calls(t, {
      { "init_module", 0, 0, 0 },
      { "finit_module", -1, 0, 0 },
      { "delete_module", 0, 0 },
    })
  end,
}
