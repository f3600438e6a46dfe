-- The clock is host-wide: changing it breaks certificates, logs and time limits everywhere.
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.clock",
  title = "Setting the clock (settimeofday, clock_settime, clock_adjtime, adjtimex) is refused",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "T1070.006" },
  remediation = "Keep settimeofday, clock_settime, clock_adjtime and adjtimex in hardened.escape_syscalls; never add CAP_SYS_TIME.",
  run = function(t)
    escape.refused_calls(t, {
      { "settimeofday", 0, 0 },
      { "clock_settime", 0, 0 },
      { "clock_adjtime", 0, 0 },
      { "adjtimex", 0 },
    })
  end,
}
