-- Vsock ports are one space shared by every sandbox and the host VM: if two
-- sandboxes could both make AF_VSOCK sockets, one could bind a port and the
-- other find it taken (a channel between them), or take a port the host
-- uses. The first tries to bind a port, the second tries the same port.
-- Safe: socket/bind on vsock only, refused by the profile.
local escape = require("escape")

return escape.scenario {
  id = "escape.isolation.vsock",
  title = "Concurrent sandboxes cannot share the vsock port space",
  tags = { "isolation", "layer4", "network", "critical" },
  references = { "CVE-2021-26708", "T1611" },
  remediation = "Keep AF_VSOCK (40) out of hardened.socket_families.",
  run = function(t)
    local port = 40000 + math.random(0, 9999)
    local bind = ([=[
import socket
def vsock_bind():
    s = socket.socket(40, socket.SOCK_STREAM)
    s.bind((0xFFFFFFFF, %d))
    globals().setdefault("kept", []).append(s)
]=]):format(port)
    local holder_out, f = escape.beside_holder(t, bind .. [=[
print("bind", try_(vsock_bind))
]=], bind .. [=[
report(bind=try_(vsock_bind))
]=])
    t:note("port", port)
    t:note("holder", holder_out)
    t:note("second_bind", f.bind)
    t:check(holder_out:find("bind EPERM", 1, true), "the first sandbox cannot make a vsock socket")
    t:check(f.bind == "EPERM", "the second cannot either (" .. f.bind .. ")")
  end,
}
