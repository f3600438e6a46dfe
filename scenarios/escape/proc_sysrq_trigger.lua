-- /proc/sysrq-trigger writable would let a container crash, reboot or
-- freeze the host with one byte. Safe: opened for writing and closed
-- without writing anything.
local escape = require("escape")

return escape.scenario {
  id = "escape.proc.sysrq_trigger",
  title = "/proc/sysrq-trigger cannot be opened for writing",
  tags = { "layer3", "proc", "critical" },
  references = { "T1529", "T1611" },
  remediation = "Keep Docker's ReadonlyPaths (it includes /proc/sysrq-trigger); never --privileged.",
  run = function(t)
    local f = escape.facts(t, [=[
try:
    fd = os.open("/proc/sysrq-trigger", os.O_WRONLY); os.close(fd); answer = "opened"
except OSError as e:
    answer = errname(e.errno)
report(answer=answer)
]=])
    t:note("open_for_writing", f.answer)
    t:check(f.answer ~= "opened", "/proc/sysrq-trigger is refused (" .. f.answer .. ")")
  end,
}
