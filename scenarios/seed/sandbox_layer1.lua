-- V2: sandbox.run refuses dangerous code with Layer 1 and the daemon never
-- hears of it (its events for this probe's label stay empty).
local probe = require("seed_probe")

return {
  id = "seed.sandbox.layer1",
  title = "sandbox.run: a rejected program never reaches the daemon",
  tags = { "layer1", "validator", "integration" },
  requires = { "docker" },
  run = function(t)
    local label = probe.unique("sandbox-layer1")
    local r = sandbox.run { code = "print(getattr(print, '__self__'))\n", labels = { ["seed.probe"] = label } }
    t:note("outcome", r.outcome)
    t:note("first_rule", r.findings[1] and r.findings[1].rule)
    t:check(r.rejected and r.outcome == "rejected", "rejected")
    t:check(#r.findings > 0 and r.findings[1].line == 1, "findings carry positions")
    t:check(r.exit_code == nil and r.container_id == nil, "no exit code, no container")
    t:check(r.durations.create == nil and r.durations.validate ~= nil, "only the validate phase ran")
    local events = probe.events("seed.probe=" .. label, r.started_at - 1, r.finished_at + 0.5)
    t:note("daemon_events", #events)
    t:check(#events == 0, "the daemon saw no container event for it")
  end,
}
