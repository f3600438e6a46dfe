-- V3 Layer 2: with NetworkMode=none (and nothing else of the sandbox) a
-- socket cannot reach anything: connect() fails inside the container and
-- the only interface is the loopback.
local probe = require("seed_probe")

local CODE = [[
import json, socket
result = {}
s = socket.socket()
s.settimeout(3)
try:
    s.connect(("8.8.8.8", 53))
    result["connect"] = "connected"
except OSError as e:
    result["connect"] = "%s: %s" % (type(e).__name__, e)
result["interfaces"] = sorted(line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:])
print(json.dumps(result))
]]

return {
  id = "seed.layer2.network",
  title = "Layer 2: no network (connect to 8.8.8.8:53 fails, only lo exists)",
  tags = { "layer2", "network", "critical" },
  remediation = "Create the container with HostConfig.NetworkMode = \"none\".",
  requires = { "docker" },
  run = function(t)
    local r = probe.probe({ NetworkMode = "none" }, CODE)
    local got = probe.decode(r.stdout) or {}
    t:note("connect_error", got.connect)
    t:note("interfaces", got.interfaces and table.concat(got.interfaces, ",") or r.stderr)
    t:check(r.exit_code == 0, "the probe ran")
    t:check(got.connect and got.connect ~= "connected", "connect() to 8.8.8.8:53 fails")
    probe.note_runtime(t)
    local expected = probe.no_network_error()
    t:check(got.connect and got.connect:find(expected, 1, true), ("the error is '%s'"):format(expected))
    t:check(got.interfaces and #got.interfaces == 1 and got.interfaces[1] == "lo", "only the loopback interface exists")
  end,
}
