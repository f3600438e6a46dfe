-- IPC objects are a channel between processes sharing an IPC namespace and hold memory outside the program's own.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.ipc_objects",
  title = "System V and POSIX IPC objects cannot be created (shmget, semget, msgget, mq_open)",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1559" },
  remediation = "Keep the mq_*, shm*, sem* and msg* calls in hardened.escape_syscalls and --ipc none.",
  run = function(t)
    escape.refused_calls(t, {
      { "shmget", 0, 4096, 896 },
      { "semget", 0, 1, 896 },
      { "msgget", 0, 896 },
      { "mq_open", 0, 0, 0, 0 },
    })
  end,
}
