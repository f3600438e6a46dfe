-- Cloud metadata services (169.254.169.254, fd00:ec2::254) hand out
-- credentials to whoever reaches them. Safe: connects only when the
-- sandbox has no interface but lo and no route (checked first, inside).
local escape = require("escape")

return escape.scenario {
  id = "escape.network.metadata",
  title = "Cloud metadata addresses are unreachable",
  tags = { "layer2", "network", "critical" },
  references = { "T1552.005" },
  remediation = "Keep network = \"none\".",
  run = function(t)
    local f = escape.facts(t, [=[
import socket
if off_machine_possible():
    report(guard=True, detail=repr(off_machine_possible()))
    raise SystemExit(0)
out = {}
for fam, addr in ((socket.AF_INET, ("169.254.169.254", 80)), (socket.AF_INET6, ("fd00:ec2::254", 80))):
    s = socket.socket(fam, socket.SOCK_STREAM); s.settimeout(1)
    try:
        s.connect(addr); out[addr[0]] = "connected"
    except OSError as e:
        out[addr[0]] = errname(e.errno) if e.errno else type(e).__name__
    finally:
        s.close()
report(guard=False, out=out)
]=])
    if f.guard then t:fail("the sandbox has an interface or route off the machine; no connect was tried: " .. f.detail) end
    t:note("attempts", f.out)
    for addr, answer in pairs(f.out) do
      t:check(answer == "ENETUNREACH" or answer == "EHOSTUNREACH" or answer == "EADDRNOTAVAIL",
        ("%s is unreachable (%s)"):format(addr, answer))
    end
  end,
}
