-- The network layer: the sandbox has loopback only and no route, so no
-- packet can leave it. Every connect probe of the pack runs only after this
-- same check passes inside its own sandbox. Safe: reads /sys/class/net and
-- /proc/net/*route.
local escape = require("escape")

return escape.scenario {
  id = "escape.network.interfaces",
  title = "Loopback is the only interface and there is no route",
  tags = { "layer2", "network", "critical" },
  references = { "T1048", "T1611" },
  remediation = "Keep network = \"none\" (NetworkMode none, NetworkDisabled).",
  run = function(t)
    local f = escape.facts(t, [=[
report(interfaces=interfaces(), routes=routes())
]=])
    t:note("interfaces", table.concat(f.interfaces, ","))
    t:note("routes", table.concat(f.routes, "\n"))
    t:check(#f.interfaces == 1 and f.interfaces[1] == "lo", "the only interface is lo (" .. table.concat(f.interfaces, ",") .. ")")
    t:check(#f.routes == 0, "there is no route but loopback's")
  end,
}
