-- Two sandboxes alive at once must not reach each other through abstract
-- unix sockets (scoped by network namespace; a shared one was the
-- CVE-2020-15257 path). The first binds and listens on a random abstract
-- name, the second tries to connect. Safe: both ends are sandboxes.
local escape = require("escape")

return escape.scenario {
  id = "escape.isolation.abstract_unix",
  title = "A sandbox cannot connect to an abstract unix socket of another",
  tags = { "isolation", "layer2", "critical" },
  references = { "CVE-2020-15257", "T1611" },
  remediation = "Keep network = \"none\": every sandbox gets a network namespace of its own.",
  run = function(t)
    local name = "sandprobe-escape-" .. tostring(math.random(1, 1 << 30))
    local holder_out, f = escape.beside_holder(t, ([=[
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0%s"); s.listen(1)
print("listening")
]=]):format(name), ([=[
import socket
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
answer = try_(c.connect, "\0%s")
listed = [l for l in open("/proc/net/unix").read().splitlines() if "%s" in l]
report(answer=answer, listed=len(listed))
]=]):format(name, name))
    t:note("name", "@" .. name)
    t:note("holder", holder_out)
    t:note("connect", f.answer)
    t:check(holder_out:find("listening", 1, true), "the first sandbox listens on its abstract socket")
    t:check(f.answer == "ECONNREFUSED", "the second cannot connect (" .. f.answer .. ")")
    t:check(f.listed == 0, "the second does not see the name in /proc/net/unix")
  end,
}
