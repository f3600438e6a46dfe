-- No process creation: the sandbox runs one Python process, so nothing can spawn a shell or a native tool.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.process_creation",
  title = "fork and clone without CLONE_THREAD (new processes) are refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1059.006" },
  remediation = "Keep hardened.process_creation (fork, vfork) and deny_clone_without_thread().",
  run = function(t)
    escape.refused_calls(t, {
      { "fork" },
      { "clone", 17, 0, 0, 0, 0 },
    })
  end,
}
