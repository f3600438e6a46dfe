-- perf events leak kernel addresses and had escalations (CVE-2013-2094).
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.perf_event_open",
  title = "perf_event_open is refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "CVE-2013-2094", "T1611", "T1068" },
  remediation = "Keep perf_event_open in hardened.escape_syscalls; never add CAP_PERFMON or CAP_SYS_ADMIN.",
  run = function(t)
    escape.refused_calls(t, {
      { "perf_event_open", 0, 0, -1, -1, 0 },
    })
  end,
}
