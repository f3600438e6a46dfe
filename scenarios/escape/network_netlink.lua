-- Netlink talks to the kernel's network, audit, uevent and crypto
-- subsystems, a large attack surface (CVE-2022-1015 in nf_tables). Safe:
-- socket() only.
local escape = require("escape")

return escape.scenario {
  id = "escape.network.netlink",
  title = "Netlink sockets (route, audit, uevent, netfilter) cannot be made",
  tags = { "layer4", "network", "seccomp" },
  references = { "CVE-2022-1015", "CVE-2022-32250", "T1611" },
  remediation = "Keep AF_NETLINK (16) out of hardened.socket_families.",
  run = function(t)
    local f = escape.facts(t, [=[
import socket
out = {}
for proto in (0, 9, 12, 15):   # ROUTE, AUDIT, NETFILTER, KOBJECT_UEVENT
    out[str(proto)] = try_(lambda p: socket.socket(16, socket.SOCK_RAW, p).close(), proto)
report(out=out)
]=])
    t:note("attempts", f.out)
    for proto, answer in pairs(f.out) do t:check(answer ~= "ok", ("netlink protocol %s is refused (%s)"):format(proto, answer)) end
  end,
}
