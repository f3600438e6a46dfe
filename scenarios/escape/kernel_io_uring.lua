-- io_uring had a stream of privilege escalations (CVE-2022-29582, CVE-2023-2598); Docker 20.10's profile allows it.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.io_uring",
  title = "io_uring_setup, io_uring_enter and io_uring_register are refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "CVE-2022-29582", "CVE-2023-2598", "T1068" },
  remediation = "Keep io_uring_setup, io_uring_enter and io_uring_register in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, {
      { "io_uring_setup", 0, 0 },
      { "io_uring_enter", -1, 0, 0, 0, 0, 0 },
      { "io_uring_register", -1, 0, 0, 0 },
    })
  end,
}
