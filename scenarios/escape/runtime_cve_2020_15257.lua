-- CVE-2020-15257: containerd-shim listened on an abstract unix socket; a
-- container sharing the host's network namespace could connect and run
-- commands as root. Abstract sockets are scoped by network namespace: the
-- sandbox must list none but its own (/proc/net/unix). Safe: a listing.
local escape = require("escape")

return escape.scenario {
  id = "escape.runtime.cve_2020_15257",
  title = "No abstract unix socket of the host or another sandbox is visible",
  tags = { "layer2", "runtime", "critical" },
  references = { "CVE-2020-15257", "T1611" },
  remediation = "Keep network = \"none\" (a network namespace of its own); never --network host.",
  run = function(t)
    local f = escape.facts(t, [=[
lines = open("/proc/net/unix").read().splitlines()[1:]
names = [l.split()[7] for l in lines if len(l.split()) >= 8]
report(count=len(lines), names=names)
]=])
    t:note("unix_sockets_listed", f.count)
    t:note("socket_names", table.concat(f.names, ", "))
    local abstract = {}
    for _, n in ipairs(f.names) do if n:sub(1, 1) == "@" then abstract[#abstract + 1] = n end end
    t:check(#abstract == 0, "no abstract unix socket is listed: " .. table.concat(abstract, ", "))
    t:check(f.count == 0, ("the network namespace lists no unix socket at all (%d)"):format(f.count))
  end,
}
