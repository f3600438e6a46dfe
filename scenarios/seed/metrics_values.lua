-- V4: after real work the engine's values are reasonable: Docker requests are
-- counted under their endpoint template (never a container id), timed, the
-- daemon is marked reachable, containers alive follows create and remove, and
-- the scraped endpoint shows those values, not zeros.
local prometheus_text = require("sandprobe.lib.prometheus_text")

local IMAGE = sandbox.normalize_options({}).image
local CREATE = { endpoint = "/containers/create", method = "POST" }
local START = { endpoint = "/containers/{id}/start", method = "POST" }

local function requests(labels) return metrics.value("sandprobe_docker_requests_total", labels) end
local function timed(endpoint) return (metrics.value("sandprobe_docker_request_duration_seconds", { endpoint = endpoint })) end
local function alive() return metrics.value("sandprobe_containers_alive") end

return {
  id = "seed.metrics.values",
  title = "Docker work moves the engine's metrics, with bounded labels",
  tags = { "metrics", "docker" },
  requires = { "docker" },
  remediation = "Record requests in engine/docker.c's request path with endpoint templates.",
  run = function(t)
    local before = { create = requests(CREATE), start = requests(START), timed = timed("/containers/create") }
    local c <close> = assert(docker.create {
      image = (t.args and t.args.image) or IMAGE, cmd = { "true" },
      labels = { ["seed.probe"] = "metrics-values" }, host_config = { NetworkMode = "none" },
    })
    t:check(requests(CREATE) >= before.create + 1, "POST /containers/create is counted")
    t:check(timed("/containers/create") >= before.timed + 1, "its duration is observed")
    t:check(alive() >= 1, "sandprobe_containers_alive counts the new container")
    assert(c:start())
    assert(c:wait(30))
    t:check(requests(START) >= before.start + 1, "POST /containers/{id}/start is counted under its template")
    t:check(metrics.value("sandprobe_daemon_reachable") == 1, "the daemon is marked reachable")
    -- Read right around the removal: scenarios running in parallel create
    -- containers too, and the window must stay too short for theirs.
    local during = alive()
    assert(c:remove())
    t:check(alive() < during, "sandprobe_containers_alive goes down when it is removed")

    local server <close> = assert(metrics.serve("127.0.0.1:0"))
    local parsed = assert(prometheus_text.parse(assert(server:scrape()).body))
    local served = prometheus_text.value(parsed, "sandprobe_docker_requests_total", CREATE)
    t:note("served_create_requests", served)
    t:check(served and served >= 1, "the scrape shows the create requests")
    local raw = {}
    for _, s in ipairs(parsed.samples) do
      if s.labels.endpoint and s.labels.endpoint:find("%x%x%x%x%x%x%x%x%x%x%x%x") then raw[#raw + 1] = s.labels.endpoint end
    end
    t:check(#raw == 0, "no endpoint label holds a container id: " .. table.concat(raw, ", "))
  end,
}
