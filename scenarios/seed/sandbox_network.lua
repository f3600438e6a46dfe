-- V2: the sandbox's network layer, through sandbox.run (Layer 1 off, the
-- static validator and the run-time guard, so the socket code reaches the
-- container).
return {
  id = "seed.sandbox.network",
  title = "sandbox.run: outbound connections fail (network none)",
  tags = { "layer2", "network", "integration" },
  requires = { "docker" },
  run = function(t)
    local r = sandbox.run { validate = false, guard = false, code = [[
import socket
socket.create_connection(("8.8.8.8", 53), timeout=3)
]] }
    t:note("stderr", r.stderr)
    t:check(r.exit_code == 1, "the program fails")
    local probe = require("seed_probe")
    probe.note_runtime(t)
    local expected = probe.no_network_error()
    t:check(r.stderr:find(expected, 1, true), ("connect() says %s"):format(expected))
  end,
}
