-- V4, as the seed's metrics check does it: a resource monitor, an alert
-- manager and the diversity monitor side by side; the seed's own figures are
-- recorded (record_diversity(0.5, 10, 20, 5, False)), and the three
-- summaries, resources, diversity and alerts, are read back from the live
-- registry's exposition, with the diversity families beside the others.
local prometheus_text = require("sandprobe.lib.prometheus_text")

local function value(parsed, name)
  return prometheus_text.value(parsed, name, {})
end

return {
  id = "seed.metrics.summaries",
  title = "Resources, diversity and alerts summaries from the live registry",
  tags = { "metrics", "diversity", "monitor", "quick" },
  remediation = "Declare the diversity families in engine/metrics_catalogue.c and publish them from engine/diversity.c.",
  run = function(t)
    local started_here = monitor.start { interval = 0.05 } == true
    local _ <close> = setmetatable({}, { __close = function() if started_here then monitor.stop() end end })
    local manager <close> = alerts.load(require("sandprobe.alerts.default"))
    -- The seed's figures, into the process-wide monitor (the next program
    -- any sandbox.run is given publishes the monitor's own figures again).
    diversity.record { score = 0.5, unique = 10, total = 20, window = 5, collapsed = false }
    local rounds = 0
    while (monitor.latest().cycles or 0) < 1 and rounds < 1e7 do rounds = rounds + 1 end
    manager:evaluate(function(metric) return metrics.value(metric) end)

    local parsed, err = prometheus_text.parse(metrics.expose())
    t:check(parsed ~= nil, "the exposition parses: " .. tostring(err))
    if not parsed then return end
    local resources = ("host_memory_available_bytes=%s load1=%s containers_alive=%s monitor_samples=%s"):format(
      value(parsed, "sandprobe_host_memory_available_bytes"), value(parsed, "sandprobe_host_load1"),
      value(parsed, "sandprobe_containers_alive"), value(parsed, "sandprobe_monitor_samples_total"))
    local d = {
      score = value(parsed, "sandprobe_diversity_score"),
      unique = value(parsed, "sandprobe_diversity_unique_programs"),
      total = value(parsed, "sandprobe_diversity_programs"),
      window = value(parsed, "sandprobe_diversity_window_programs"),
      collapsed = value(parsed, "sandprobe_diversity_collapsed"),
      events = value(parsed, "sandprobe_diversity_collapse_events_total"),
    }
    local firing, names = 0, {}
    for _, st in ipairs(manager:states()) do
      names[#names + 1] = st.name .. "=" .. st.state
      if st.state == "firing" then firing = firing + 1 end
    end
    t:note("resources", resources)
    t:note("diversity", ("score=%s unique=%s total=%s window=%s collapsed=%s collapse_events=%s"):format(
      d.score, d.unique, d.total, d.window, d.collapsed, d.events))
    t:note("alerts", ("%d rules, %d firing: %s"):format(#names, firing, table.concat(names, " ")))
    t:check((value(parsed, "sandprobe_host_memory_available_bytes") or 0) > 0, "resources: host memory sampled")
    t:check((value(parsed, "sandprobe_monitor_samples_total") or 0) >= 1, "resources: the monitor completed a round")
    t:check(d.score ~= nil and d.unique ~= nil and d.total ~= nil and d.collapsed ~= nil and d.events ~= nil,
      "diversity: score, unique, total, collapse state and events are exposed")
    -- Other scenarios' sandbox.run calls may publish the monitor's own
    -- figures between the record and the scrape; the record itself must hold.
    if d.total == 20 and d.unique == 10 then
      t:check(d.score == 0.5 and d.window == 5 and d.collapsed == 0, "diversity: the recorded figures are exposed as given")
    else
      t:note("diversity_note", "a concurrent sandbox.run published the monitor's own figures after the record")
      t:check(d.score >= 0 and d.score <= 1 and d.unique <= d.total, "diversity: figures consistent")
    end
    t:check(#names >= 5 and parsed.families["sandprobe_alerts_firing"] ~= nil,
      "alerts: the default rules, diversity collapse among them, evaluated from the registry")
  end,
}
