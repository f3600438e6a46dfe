-- V4: /metrics, served over HTTP by the engine, speaks the Prometheus text
-- format (and OpenMetrics when asked), with HELP and TYPE for every sampled
-- family; other paths are 404. The scrape is a real HTTP exchange with the
-- server (server:scrape), not a call to the exposition function.
local prometheus_text = require("sandprobe.lib.prometheus_text")

local TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
local OM_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"

-- The family a sample belongs to: histogram samples carry a suffix.
local function family_of(parsed, name)
  if parsed.families[name] then return name end
  local base = name:match("^(.*)_bucket$") or name:match("^(.*)_sum$") or name:match("^(.*)_count$")
  return base and parsed.families[base] and base
end

return {
  id = "seed.metrics.endpoint",
  title = "/metrics serves the Prometheus text format with HELP and TYPE",
  tags = { "metrics", "quick" },
  remediation = "Serve the registry with the 0.0.4 content type; see engine/metrics_http.c.",
  run = function(t)
    local server <close> = assert(metrics.serve("127.0.0.1:0"))
    t:note("port", server:port())
    local r = assert(server:scrape())
    t:check(r.status == 200, "GET /metrics answers 200 (got " .. r.status .. ")")
    t:check(r.content_type == TEXT_TYPE, "content type is " .. TEXT_TYPE .. " (got " .. r.content_type .. ")")
    local parsed, err = prometheus_text.parse(r.body)
    t:check(parsed ~= nil, "every line is a comment or a valid sample: " .. tostring(err))
    if not parsed then return end
    local orphans = {}
    for _, s in ipairs(parsed.samples) do
      local f = family_of(parsed, s.name)
      if not (f and parsed.families[f].help and parsed.families[f].type) then orphans[#orphans + 1] = s.name end
    end
    t:note("samples", #parsed.samples)
    t:check(#parsed.samples > 0, "samples are served")
    t:check(#orphans == 0, "every sample's family has HELP and TYPE: " .. table.concat(orphans, ", "))
    t:check(parsed.families.sandprobe_build_info ~= nil, "sandprobe_build_info is served")

    local om = assert(server:scrape { accept = "application/openmetrics-text; version=1.0.0" })
    t:check(om.content_type == OM_TYPE, "OpenMetrics when asked (got " .. om.content_type .. ")")
    t:check(om.body:sub(-6) == "# EOF\n", "the OpenMetrics answer ends with # EOF")
    local other = assert(server:scrape { path = "/other" })
    t:check(other.status == 404, "other paths answer 404 (got " .. other.status .. ")")
  end,
}
