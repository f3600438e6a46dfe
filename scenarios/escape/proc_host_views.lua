-- /proc views Docker leaves readable that tell a sandbox about the host or
-- about other sandboxes: the host's kernel command line (boot options,
-- hypervisor vsock ports) and the host-wide pty counters (a covert channel:
-- one sandbox opens ptys, another reads pty/nr). Safe: reads of 64 bytes.
local escape = require("escape")

return escape.scenario {
  id = "escape.proc.host_views",
  title = "/proc/cmdline and /proc/sys/kernel/pty are masked",
  tags = { "layer3", "proc", "isolation" },
  references = { "T1082", "T1611" },
  remediation = "Keep /proc/cmdline and /proc/sys/kernel/pty in the target's masked_paths (lua/sandprobe/targets/default.lua), beside Docker's default masked paths.",
  run = function(t)
    local f = escape.facts(t, [=[
out = {}
for p in ["/proc/cmdline", "/proc/sys/kernel/pty/nr", "/proc/sys/kernel/pty/max", "/proc/sys/kernel/pty/reserve"]:
    try:
        with open(p, "rb") as fh:
            out[p] = len(fh.read(64))
    except OSError as e:
        out[p] = errname(e.errno)
report(out=out)
]=])
    for p, answer in pairs(f.out) do
      t:note(p, answer)
      t:check(answer == 0 or type(answer) == "string", ("%s gives nothing (%s)"):format(p, tostring(answer)))
    end
  end,
}
