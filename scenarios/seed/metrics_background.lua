-- V4: the background resource monitor really collects. While a sandbox
-- container runs (made from sandbox.container_spec, the spec sandbox.run
-- uses: every layer on), two scrapes of /metrics taken some monitor rounds
-- apart differ: more sampling rounds, more CPU time for the container; once
-- the container is untracked its series is gone.
local prometheus_text = require("sandprobe.lib.prometheus_text")

local INTERVAL_S = 0.25
-- A quarter second of work inside the sandbox, in its cgroup.
local WORK = "import time\nend = time.time() + 0.25\nwhile time.time() < end:\n    sum(range(2000))\n"

-- Lets time pass by working inside the running sandbox (scenarios cannot
-- sleep) until the monitor has done `rounds` more rounds; false after ~15 s.
local function wait_rounds(c, rounds)
  local want = monitor.latest().cycles + rounds
  for _ = 1, 60 do
    if monitor.latest().cycles >= want then return true end
    assert(c:exec { cmd = { "python3", "-c", WORK } })
  end
  return false
end

local function scrape(server)
  return assert(prometheus_text.parse(assert(server:scrape()).body))
end

return {
  id = "seed.metrics.background",
  title = "The background monitor's values change between scrapes while a sandbox runs",
  tags = { "metrics", "docker", "monitor" },
  requires = { "docker" },
  remediation = "Start the monitor with the metrics sink (sp_metrics_wire_monitor) and track sandbox containers.",
  run = function(t)
    local started_here = monitor.start { interval = INTERVAL_S } == true
    t:check(monitor.running(), "the resource monitor runs")
    -- Started without a program: the loader waits on stdin, the sandbox stays up.
    local spec = sandbox.container_spec(sandbox.normalize_options { labels = { ["seed.probe"] = "metrics-background" } })
    local c <close> = assert(docker.create(spec))
    assert(c:start())
    local id = c:id()
    local _ <close> = setmetatable({}, { __close = function()
      monitor.untrack(id)
      if started_here then monitor.stop() end
    end })
    assert(monitor.track(id, c:inspect().State.Pid))
    local server <close> = assert(metrics.serve("127.0.0.1:0"))
    local series = { container = id:sub(1, 12) }

    t:check(wait_rounds(c, 2), "the monitor samples in the background")
    local first = scrape(server)
    t:check(wait_rounds(c, 2), "and goes on sampling")
    local second = scrape(server)
    local function both(name, labels)
      return prometheus_text.value(first, name, labels) or -1, prometheus_text.value(second, name, labels) or -1
    end
    local s1, s2 = both("sandprobe_monitor_samples_total", {})
    t:note("monitor_samples", ("%s -> %s"):format(s1, s2))
    t:check(s1 >= 1 and s2 > s1, "sandprobe_monitor_samples_total grows between scrapes")
    local cpu1, cpu2 = both("sandprobe_container_cpu_seconds_total", series)
    t:note("container_cpu_seconds", ("%s -> %s"):format(cpu1, cpu2))
    t:check(cpu1 >= 0 and cpu2 > cpu1, "the running container's CPU seconds grow between scrapes")
    local mem = prometheus_text.value(second, "sandprobe_container_memory_usage_bytes", series) or 0
    t:note("container_memory_bytes", mem)
    t:check(mem > 0, "its memory use is sampled")
    local host = prometheus_text.value(second, "sandprobe_host_memory_available_bytes", {}) or 0
    t:check(host > 0, "host memory available is sampled")

    monitor.untrack(id)
    local third = scrape(server)
    t:check(prometheus_text.value(third, "sandprobe_container_memory_usage_bytes", series) == nil,
      "the container's series is removed once it is untracked")
  end,
}
