-- core_pattern is host-wide; "|/path" makes the kernel run a program as root
-- on the host whenever a process crashes, and writing it is a classic
-- escape. Safe: opened for writing and closed without a byte written.
local escape = require("escape")

return escape.scenario {
  id = "escape.proc.core_pattern",
  title = "/proc/sys/kernel/core_pattern cannot be changed",
  tags = { "layer3", "proc", "critical" },
  references = { "T1611", "T1546" },
  remediation = "Keep /proc/sys read-only (Docker's ReadonlyPaths); never --privileged.",
  run = function(t)
    local f = escape.facts(t, [=[
try:
    fd = os.open("/proc/sys/kernel/core_pattern", os.O_WRONLY); os.close(fd); answer = "opened"
except OSError as e:
    answer = errname(e.errno)
report(answer=answer, value=open("/proc/sys/kernel/core_pattern").read().strip())
]=])
    t:note("core_pattern", f.value)
    t:note("open_for_writing", f.answer)
    t:check(f.answer ~= "opened", "core_pattern is refused for writing (" .. f.answer .. ")")
  end,
}
