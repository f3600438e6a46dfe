-- DNS is an exfiltration channel (names carry data to any resolver on the
-- path). The sandbox must resolve nothing: no nameserver reachable, no
-- answer. Safe: resolution is tried only when the sandbox has no interface
-- but lo and no route, so no query can leave the machine.
local escape = require("escape")

return escape.scenario {
  id = "escape.network.dns",
  title = "Name resolution fails inside the sandbox",
  tags = { "layer2", "network" },
  references = { "T1071.004", "T1048" },
  remediation = "Keep network = \"none\" (Docker then gives no resolver).",
  run = function(t)
    local f = escape.facts(t, [=[
import socket
if off_machine_possible():
    report(guard=True, detail=repr(off_machine_possible()))
    raise SystemExit(0)
try:
    conf = open("/etc/resolv.conf").read()
except OSError as e:
    conf = errname(e.errno)
try:
    socket.getaddrinfo("sandprobe-escape-probe.example", 53)
    answer = "resolved"
except socket.gaierror as e:
    answer = "gaierror %s" % e.errno
report(guard=False, answer=answer, resolv_conf=conf)
]=])
    if f.guard then t:fail("the sandbox has an interface or route off the machine; no lookup was tried: " .. f.detail) end
    t:note("resolv_conf", f.resolv_conf)
    t:note("lookup", f.answer)
    t:check(f.answer ~= "resolved", "the lookup fails (" .. f.answer .. ")")
  end,
}
