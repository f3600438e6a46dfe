-- V4: every family of the engine's catalogue (docs/metrics.md) is defined in
-- the exposition from the start, with HELP and TYPE, before anything moved.
local prometheus_text = require("sandprobe.lib.prometheus_text")

local TYPES = { counter = true, gauge = true, histogram = true }

return {
  id = "seed.metrics.families",
  title = "Every engine metric family is exposed with HELP and TYPE",
  tags = { "metrics", "quick" },
  remediation = "Declare every family in engine/metrics_catalogue.c with a help text.",
  run = function(t)
    local parsed, err = prometheus_text.parse(metrics.expose())
    t:check(parsed ~= nil, "the exposition parses: " .. tostring(err))
    if not parsed then return end
    local names = {}
    for name in pairs(metrics.catalogue()) do names[#names + 1] = name end
    table.sort(names)
    t:note("families", #names)
    t:check(#names >= 22, "the catalogue has at least 22 families")
    local missing = {}
    for _, name in ipairs(names) do
      local f = parsed.families[name]
      local ok = name:match("^sandprobe_") and f and f.help and f.help ~= "" and TYPES[f.type]
      if not ok then missing[#missing + 1] = name end
    end
    t:note("without_help_or_type", table.concat(missing, ", "))
    t:check(#missing == 0, "every family is named sandprobe_* and has HELP and TYPE")
    local om = metrics.expose("openmetrics")
    t:check(om:sub(-6) == "# EOF\n", "the OpenMetrics exposition ends with # EOF")
  end,
}
