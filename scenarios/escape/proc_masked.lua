-- Docker masks /proc files that leak host state (timer_list, keys,
-- sched_debug, ...) by mounting /dev/null or an empty tmpfs over them.
-- Safe: reads of at most 64 bytes.
local escape = require("escape")

return escape.scenario {
  id = "escape.proc.masked",
  title = "Host-state /proc files are masked (keys, timer_list, sched_debug, acpi, scsi)",
  tags = { "layer3", "proc" },
  references = { "T1082" },
  remediation = "Keep Docker's MaskedPaths; never --privileged or --security-opt systempaths=unconfined.",
  run = function(t)
    local f = escape.facts(t, [=[
out = {}
for p in ["/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/latency_stats", "/proc/timer_stats"]:
    try:
        with open(p, "rb") as fh:
            out[p] = len(fh.read(64))
    except OSError as e:
        out[p] = errname(e.errno)
for d in ["/proc/acpi", "/proc/scsi", "/sys/firmware"]:
    try:
        out[d] = len(os.listdir(d))
    except OSError as e:
        out[d] = errname(e.errno)
report(out=out)
]=])
    t:note("answers", f.out)
    for p, answer in pairs(f.out) do
      t:check(answer == 0 or type(answer) == "string", ("%s gives nothing (%s)"):format(p, tostring(answer)))
    end
  end,
}
