-- The time limit must not depend on the client: a container whose client
-- stops acting (hangs, or is SIGKILLed) must still die within a few seconds
-- of its deadline. Here the client attaches, stops reading at the deadline
-- and does nothing more (no kill, no wait); the deadline keeper sandprobe
-- starts (sandprobe/reaper.h) must end the container on its own. The
-- SIGKILLed client is measured by tests/integration/test_escape_pack.sh.
-- Safe: one sandbox, a few seconds of one CPU.
local escape = require("escape")

return escape.scenario {
  id = "escape.dos.deadline_without_client",
  title = "A container dies within a few seconds of its deadline without its client",
  tags = { "layer5", "dos", "critical" },
  references = { "T1496" },
  remediation = "Keep the deadline keeper: sandbox.attach registers every run with reaper.watch, and the "
    .. "keeper kills it past the deadline whatever the client does.",
  timeout = 40,
  run = function(t)
    local o = sandbox.normalize_options(escape.probe_options { timeout = 2, labels = { ["sandprobe.escape"] = "deadline" } })
    local c <close> = assert(docker.create(sandbox.container_spec(o)))
    local result = { durations = {} }
    local started = os.time()
    local out, err = sandbox.attach(c, "while True:\n    pass\n", o, result)
    t:check(out ~= nil, "attached (" .. tostring(err) .. ")")
    t:check(out and out.timed_out, "the client stopped reading at the deadline")
    -- From here the client does nothing to the container: poll only.
    local limit, gone_after = 15, nil
    while os.time() - started <= limit do
      local info = c:inspect()
      if not info or not info.State.Running then gone_after = os.time() - started break end
      docker.call("GET", "/_ping")
    end
    t:note("deadline_seconds", o.timeout)
    t:note("stopped_after_seconds", gone_after or "still running")
    t:check(gone_after ~= nil, "the container was ended without the client")
    t:check(gone_after ~= nil and gone_after <= o.timeout + 5,
      ("it ended within 5 s of its deadline (%s s after the start)"):format(tostring(gone_after)))
  end,
}
