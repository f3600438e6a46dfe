-- /proc/kcore is the host's physical memory as an ELF core file. Docker
-- masks it (bind-mounts /dev/null over it). Safe: reads at most 64 bytes.
local escape = require("escape")

return escape.scenario {
  id = "escape.proc.kcore",
  title = "/proc/kcore gives nothing (masked)",
  tags = { "layer3", "proc", "critical" },
  references = { "T1003", "T1611" },
  remediation = "Keep Docker's MaskedPaths (they include /proc/kcore); never --privileged.",
  run = function(t)
    local f = escape.facts(t, [=[
try:
    with open("/proc/kcore", "rb") as fh:
        n = len(fh.read(64)); answer = "read %d bytes" % n
except OSError as e:
    n, answer = 0, errname(e.errno)
report(bytes=n, answer=answer)
]=])
    t:note("read", f.answer)
    t:check(f.bytes == 0, "/proc/kcore yields no bytes (" .. f.answer .. ")")
  end,
}
