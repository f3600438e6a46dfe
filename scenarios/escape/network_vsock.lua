-- AF_VSOCK ports are one space shared by every sandbox and the host VM: two
-- sandboxes could signal each other by binding the same port, and a sandbox
-- could bind a port the host uses (Docker's newer profile refuses family
-- 40; CVE-2021-26708 was a vsock privilege escalation). Safe: socket() only.
local escape = require("escape")

return escape.scenario {
  id = "escape.network.vsock",
  title = "AF_VSOCK sockets cannot be made",
  tags = { "layer4", "network", "seccomp", "isolation", "critical" },
  references = { "CVE-2021-26708", "T1611" },
  remediation = "Keep AF_VSOCK (40) out of hardened.socket_families.",
  run = function(t)
    local f = escape.facts(t, [=[
import socket
report(stream=try_(lambda: socket.socket(40, socket.SOCK_STREAM).close()),
       dgram=try_(lambda: socket.socket(40, socket.SOCK_DGRAM).close()),
       seqpacket=try_(lambda: socket.socket(40, socket.SOCK_SEQPACKET).close()))
]=])
    t:note("stream", f.stream)
    t:note("dgram", f.dgram)
    for _, k in ipairs { "stream", "dgram", "seqpacket" } do
      t:check(f[k] == "EPERM", ("socket(AF_VSOCK, %s) is refused by the filter (%s)"):format(k, f[k]))
    end
  end,
}
