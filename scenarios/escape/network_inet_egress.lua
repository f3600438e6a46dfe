-- AF_INET/AF_INET6 egress: a TCP connect and a UDP send towards the
-- documentation addresses (192.0.2.1, 2001:db8::1, never routed) must fail
-- inside the sandbox (ENETUNREACH). Safe: the probe connects only after
-- finding no interface but lo and no route, so nothing can leave the
-- machine even on a sandbox with a network.
local escape = require("escape")

return escape.scenario {
  id = "escape.network.inet_egress",
  title = "TCP and UDP over IPv4 and IPv6 cannot leave the sandbox",
  tags = { "layer2", "network", "critical" },
  references = { "T1048", "T1071" },
  remediation = "Keep network = \"none\".",
  run = function(t)
    local f = escape.facts(t, [=[
import socket
if off_machine_possible():
    report(guard=True, detail=repr(off_machine_possible()))
    raise SystemExit(0)
out = {}
for fam, addr in ((socket.AF_INET, ("192.0.2.1", 80)), (socket.AF_INET6, ("2001:db8::1", 80))):
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        s = socket.socket(fam, kind)
        s.settimeout(1)
        try:
            if kind == socket.SOCK_STREAM:
                s.connect(addr)
            else:
                s.sendto(b"x", addr)
            out["%d/%d" % (fam, kind)] = "sent"
        except OSError as e:
            out["%d/%d" % (fam, kind)] = errname(e.errno) if e.errno else type(e).__name__
        finally:
            s.close()
report(guard=False, out=out)
]=])
    if f.guard then t:fail("the sandbox has an interface or route off the machine; no connect was tried: " .. f.detail) end
    t:note("attempts", f.out)
    for k, answer in pairs(f.out) do
      t:check(answer == "ENETUNREACH" or answer == "EHOSTUNREACH" or answer == "EADDRNOTAVAIL" or answer == "EPERM",
        ("family/type %s fails inside the sandbox (%s)"):format(k, answer))
    end
  end,
}
