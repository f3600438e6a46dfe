-- Kernel symbol addresses defeat KASLR, the first step of most kernel
-- exploits. With kptr_restrict and no CAP_SYSLOG, /proc/kallsyms shows
-- zeros. Safe: a read.
local escape = require("escape")

return escape.scenario {
  id = "escape.proc.kallsyms",
  title = "/proc/kallsyms shows no kernel addresses",
  tags = { "layer3", "proc" },
  references = { "T1082", "T1068" },
  remediation = "Keep cap_drop = {\"ALL\"} (no CAP_SYSLOG) and kernel.kptr_restrict >= 1 on the host.",
  run = function(t)
    local f = escape.facts(t, [=[
nonzero, total = 0, 0
try:
    with open("/proc/kallsyms") as fh:
        for line in fh:
            total += 1
            if int(line.split()[0], 16) != 0:
                nonzero += 1
    answer = "read"
except OSError as e:
    answer = errname(e.errno)
report(total=total, nonzero=nonzero, answer=answer)
]=])
    t:note("symbols", f.total)
    t:note("nonzero_addresses", f.nonzero)
    t:check(f.nonzero == 0, ("no symbol shows an address (%d of %d do)"):format(f.nonzero, f.total))
  end,
}
