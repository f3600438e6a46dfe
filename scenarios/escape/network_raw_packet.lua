-- Raw and packet sockets forge traffic and sniff the network namespace
-- (and gave CVE-2020-14386). Safe: sockets are opened, never used.
local escape = require("escape")

return escape.scenario {
  id = "escape.network.raw_packet",
  title = "Raw IP and packet sockets cannot be opened",
  tags = { "layer2", "layer4", "network", "critical" },
  references = { "CVE-2020-14386", "T1040", "T1611" },
  remediation = "Keep cap_drop = {\"ALL\"} (no CAP_NET_RAW) and the hardened profile's socket families (AF_UNIX, AF_INET, AF_INET6).",
  run = function(t)
    local f = escape.facts(t, [=[
import socket
out = {}
for name, args in (("inet_raw", (socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)),
                   ("inet6_raw", (socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)),
                   ("packet_raw", (17, socket.SOCK_RAW, 0x0300)), ("packet_dgram", (17, socket.SOCK_DGRAM, 0x0300))):
    out[name] = try_(lambda a: socket.socket(*a).close(), args)
report(out=out)
]=])
    t:note("attempts", f.out)
    for name, answer in pairs(f.out) do t:check(answer ~= "ok", ("%s is refused (%s)"):format(name, answer)) end
  end,
}
