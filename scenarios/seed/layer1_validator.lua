-- V3 Layer 1: dangerous code is refused before any container exists. The
-- proof is the daemon's own event stream, not the code path: over the
-- window of the call, no container carrying this probe's label was created.
-- A valid program with the same label is the control: it does show up, so
-- the event query would have seen a container had one been made.
local probe = require("seed_probe")

local DANGEROUS = [[
import os
os.system("cat /etc/shadow")
]]

return {
  id = "seed.layer1.validator",
  title = "Layer 1: dangerous code is rejected and no container is created",
  tags = { "layer1", "validator", "critical" },
  remediation = "Run validator.check() before docker.create and stop on rejection.",
  requires = { "docker" },
  run = function(t)
    local label = probe.unique("layer1")
    local r = sandbox.run { code = DANGEROUS, labels = { ["seed.probe"] = label } }
    t:check(r.rejected, "the dangerous program is rejected")
    t:check(r.container_id == nil, "the result names no container")
    local rules = {}
    for _, f in ipairs(r.findings) do rules[#rules + 1] = f.rule .. "@" .. f.line .. ":" .. f.col end
    t:note("findings", table.concat(rules, ", "))
    local created = probe.events("seed.probe=" .. label, r.started_at - 1, r.finished_at + 0.5, "create")
    t:note("create_events_for_rejected", #created)
    t:check(#created == 0, "the daemon saw no container created for the rejected program")
    t:check(#assert(docker.list { labels = { "seed.probe=" .. label } }) == 0, "no such container is listed")

    local control = sandbox.run { code = "print('control')\n", labels = { ["seed.probe"] = label } }
    t:check(control.exit_code == 0 and control.stdout == "control\n", "the control program runs")
    local control_created = probe.events("seed.probe=" .. label, control.started_at - 1, control.finished_at + 0.5, "create")
    t:note("create_events_for_control", #control_created)
    t:check(#control_created == 1, "the same event query sees the control's container")
  end,
}
