-- A sandbox must see no process but its own: not another sandbox's, not the
-- host's (signals, /proc/<pid>/environ, ptrace targets). Safe: a listing of
-- /proc.
local escape = require("escape")

return escape.scenario {
  id = "escape.isolation.pids",
  title = "A sandbox sees only its own process",
  tags = { "isolation", "layer3", "critical" },
  references = { "T1057", "T1611" },
  remediation = "Keep a PID namespace per container (no --pid host or --pid container:...).",
  run = function(t)
    local holder_out, f = escape.beside_holder(t, [=[
print("holder pid", os.getpid())
]=], [=[
pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
cmds = {}
for p in pids:
    try:
        cmds[str(p)] = open("/proc/%d/cmdline" % p, "rb").read().split(b"\0")[0].decode("utf-8", "replace")
    except OSError as e:
        cmds[str(p)] = "?" + errname(e.errno)
report(pids=pids, cmds=cmds, me=os.getpid())
]=])
    t:note("holder", holder_out)
    t:note("second_sees", f.cmds)
    t:check(#f.pids == 1 and f.pids[1] == f.me, ("the second sandbox sees only itself (pids %s)"):format(table.concat(f.pids, ",")))
  end,
}
