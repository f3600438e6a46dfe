-- The engine's metrics wiring from Lua: the default alert rules read real
-- catalogue families, the background alert evaluator records
-- sandprobe_alerts_firing, core.wait_for_signal times out, server:scrape,
-- the prometheus_text reader and sandprobe.metrics_options.
local T = require("sandprobe.testing")
local alerts = require("alerts")
local core = require("sandprobe.core")
local metrics = require("metrics")
local metrics_options = require("sandprobe.metrics_options")
local monitor = require("monitor")
local prometheus_text = require("sandprobe.lib.prometheus_text")

local function firing(name) return metrics.value("sandprobe_alerts_firing", { alertname = name }) end

-- Waits (bounded) until the manager's background loop did `n` more rounds.
local function wait_rounds(m, n)
  local want = m:stats().rounds + n
  local deadline = core.monotonic() + 5
  while m:stats().rounds < want and core.monotonic() < deadline do core.sleep(0.01) end
  return m:stats().rounds >= want
end

T.test("the default rules name catalogue families", function()
  local catalogue = metrics.catalogue()
  for _, rule in ipairs(require("sandprobe.alerts.default")) do
    local name = rule.expr:match("^([%w_:]+)")
    T.ok(catalogue[name], ("rule %s reads %s, which the catalogue has"):format(rule.name, name))
  end
end)

T.test("background evaluation records sandprobe_alerts_firing", function()
  local gauge = metrics.gauge { name = "test_wiring_queue", help = "A value the rule reads.", labels = { "pool" } }
  gauge:set(1, { pool = "a" })
  local m <close> = alerts.load {
    { name = "TestQueueLong", expr = 'test_wiring_queue{pool="a"} > 5', labels = { severity = "test" } },
  }
  T.ok(m:start_background { interval = 0.02 })
  local again, err = m:start_background { interval = 0.02 }
  T.eq(again, nil)
  T.contains(err, "already running")
  T.ok(wait_rounds(m, 2), "the loop runs")
  T.eq(firing("TestQueueLong"), 0)
  gauge:set(9, { pool = "a" })
  T.ok(wait_rounds(m, 2))
  T.eq(firing("TestQueueLong"), 1)
  T.eq(m:firing()[1].name, "TestQueueLong")
  gauge:set(0, { pool = "a" })
  T.ok(wait_rounds(m, 2))
  T.eq(firing("TestQueueLong"), 0)
  T.eq(m:states()[1].state, "resolved")
  m:stop_background()
  m:stop_background() -- twice is fine
  T.eq(m:stats().rounds, 0)
  T.raises(function() m:start_background { interval = 0 } end, "interval too small")
end)

T.test("a closed manager stops its loop", function()
  local m = alerts.load { { name = "TestNever", expr = "no_such_metric > 1" } }
  T.ok(m:start_background { interval = 0.02, alertmanager = "http://127.0.0.1:1", timeout = 0.5 })
  T.ok(wait_rounds(m, 1))
  m:close()
  T.raises(function() m:stats() end, "closed")
end)

T.test("core.wait_for_signal times out with nil", function()
  local t0 = core.monotonic()
  T.eq(core.wait_for_signal(0.05), nil)
  T.ok(core.monotonic() - t0 >= 0.05, "it waited")
  T.raises(function() core.wait_for_signal(-1) end, "negative timeout")
end)

T.test("server:scrape is a real HTTP exchange", function()
  local server <close> = assert(metrics.serve("127.0.0.1:0"))
  local r = assert(server:scrape())
  T.eq(r.status, 200)
  T.eq(r.content_type, "text/plain; version=0.0.4; charset=utf-8")
  local parsed = assert(prometheus_text.parse(r.body))
  T.eq(parsed.families.sandprobe_build_info.type, "gauge")
  T.eq(prometheus_text.value(parsed, "sandprobe_build_info", { version = core.version }), 1)
  T.eq(assert(server:scrape { path = "/nope" }).status, 404)
  T.raises(function() server:scrape { path = "no-slash" } end, "path must start with")
  server:close()
  T.raises(function() server:scrape() end, "closed")
end)

T.test("prometheus_text refuses what is not the format", function()
  local parsed = assert(prometheus_text.parse('# HELP a_total x\n# TYPE a_total counter\na_total{l="q\\"t\\n"} 3\nb +Inf\n'))
  T.eq(prometheus_text.value(parsed, "a_total", { l = 'q"t\n' }), 3)
  T.eq(prometheus_text.value(parsed, "b"), math.huge)
  T.eq(prometheus_text.value(parsed, "a_total"), nil)
  T.eq(parsed.families.a_total.type, "counter")
  local bad, err = prometheus_text.parse("a{l=1} 2\n")
  T.eq(bad, nil)
  T.contains(err, "line 1")
  T.eq((prometheus_text.parse("a twelve\n")), nil)
  T.eq((prometheus_text.parse('a{l="x} 1\n')), nil)
end)

T.test("metrics_options: file written, server and own monitor stopped", function()
  local dir = os.tmpname()
  os.remove(dir)
  local path = dir .. ".prom"
  local was_running = monitor.running()
  local handle = metrics_options.start { ["metrics-listen"] = "127.0.0.1:0", ["metrics-file"] = path }
  T.ok(handle.server:port() > 0)
  T.ok(monitor.running(), "the monitor samples while working")
  T.ok(metrics_options.finish(handle))
  T.eq(monitor.running(), was_running)
  local f = assert(io.open(path))
  local text = f:read("a")
  f:close()
  os.remove(path)
  T.contains(text, "# TYPE sandprobe_build_info gauge")
  T.raises(function() handle.server:port() end, "closed")
  -- An unwritable file is a configuration error before the work starts...
  T.raises(function() metrics_options.start { ["metrics-file"] = "/nonexistent-dir/x.prom" } end,
           "--metrics-file /nonexistent-dir/x.prom: cannot write there")
  -- ...and one that became unwritable during the work is reported at its end.
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir " .. dir))
  local gone = metrics_options.start { ["metrics-file"] = dir .. "/x.prom" }
  assert(os.execute("rmdir " .. dir))
  local ok, err = metrics_options.finish(gone)
  T.eq(ok, nil)
  T.contains(err, dir .. "/x.prom")
  T.raises(function() metrics_options.start { ["metrics-listen"] = "nonsense" } end, nil)
end)

T.test("containers alive and Docker requests follow the real daemon", function()
  local docker = require("docker")
  local image = os.getenv("SANDPROBE_IMAGE") or "sandprobe/python:3.11"
  local function alive() return metrics.value("sandprobe_containers_alive") end
  local function requests(endpoint, method)
    return metrics.value("sandprobe_docker_requests_total", { endpoint = endpoint, method = method })
  end
  local function timed(endpoint) return (metrics.value("sandprobe_docker_request_duration_seconds", { endpoint = endpoint })) end
  local base, creates, deletes = alive(), requests("/containers/create", "POST"), requests("/containers/{id}", "DELETE")
  local a = assert(docker.create { image = image, cmd = { "true" } })
  local b = assert(docker.create { image = image, cmd = { "true" } })
  T.eq(alive(), base + 2)
  T.eq(requests("/containers/create", "POST"), creates + 2)
  T.ok(timed("/containers/create") >= 2)
  T.eq(metrics.value("sandprobe_daemon_reachable"), 1)
  assert(a:remove())
  T.eq(alive(), base + 1)
  T.eq(requests("/containers/{id}", "DELETE"), deletes + 1)
  -- Removed behind the engine's back: the engine's own remove then gets 404
  -- and forgets it; the gauge is not decremented twice.
  assert(docker.call("DELETE", "/containers/" .. b:id() .. "?force=1"))
  T.eq(alive(), base + 1)
  assert(b:remove())
  T.eq(alive(), base)
end)

T.test("metrics_options.add_to appends both options once", function()
  local spec = { { name = "json" } }
  T.eq(metrics_options.add_to(spec), spec)
  T.eq(#spec, 3)
  T.eq(spec[2].name, "metrics-listen")
  T.eq(spec[3].name, "metrics-file")
end)
