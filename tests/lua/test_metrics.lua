-- Lua-level tests of the metrics module (docs/metrics-module.md).
local T = require("sandprobe.testing")
local metrics = require("metrics")

T.test("counter: inc with labels by name, by position, as a string, with amounts", function()
  local c = metrics.counter { name = "t_jobs_total", help = "Jobs.", labels = { "kind" } }
  c:inc({ kind = "a" })
  c:inc({ "a" }, 2)
  c:inc("a")
  c:inc(0.5, { kind = "b" })
  T.eq(metrics.value("t_jobs_total", { kind = "a" }), 4)
  T.eq(metrics.value("t_jobs", "b"), 0.5)
  T.eq(metrics.value("t_jobs_total", { kind = "never" }), 0)
  T.eq(tostring(c), "metrics.counter (t_jobs_total)")
end)

T.test("counter without labels", function()
  local c = metrics.counter { name = "t_plain", help = "Plain." }
  c:inc()
  c:inc(41)
  T.eq(metrics.value("t_plain_total"), 42)
end)

T.test("counter refuses to go down and wrong labels", function()
  local c = metrics.counter { name = "t_strict_total", help = "x", labels = { "a", "b" } }
  T.raises(function() c:inc({ a = "1", b = "2" }, -1) end, "counters only go up")
  T.raises(function() c:inc({ a = "1" }) end, "has 2 label(s), 1 given")
  T.raises(function() c:inc({ a = "1", c = "2" }) end, "label 'b' missing")
  T.raises(function() c:inc() end, "needs label values")
  T.raises(function() c:inc("x") end, "give them in a table")
  T.raises(function() c:inc({ a = {}, b = "2" }) end, "needs a string or number")
  T.raises(function() c:inc({ a = "x\0y", b = "2" }) end, "NUL byte")
  T.raises(function() c:inc({ a = "\xff", b = "2" }) end, "UTF-8")
  c:inc({ a = 1, b = true and "2" })
  T.eq(metrics.value("t_strict_total", { a = "1", b = "2" }), 1)
end)

T.test("gauge: set, inc, dec", function()
  local g = metrics.gauge { name = "t_level", help = "Level.", labels = { "pool" } }
  g:set(10, { pool = "p" })
  g:inc({ pool = "p" })
  g:dec({ pool = "p" }, 3)
  g:dec(0.5, "p")
  T.eq(metrics.value("t_level", { pool = "p" }), 7.5)
  g:set(-2, "p")
  T.eq(metrics.value("t_level", "p"), -2)
  T.eq(g.observe, nil, "a gauge has no observe")
end)

T.test("histogram: observe, buckets, count and sum", function()
  local h = metrics.histogram { name = "t_wait_seconds", help = "Wait.", unit = "seconds",
                                buckets = { 0.1, 1 } }
  h:observe(0.05)
  h:observe(0.5)
  h:observe(7)
  local count, sum = metrics.value("t_wait_seconds")
  T.eq(count, 3)
  T.eq(sum, 7.55)
  local text = metrics.expose()
  T.contains(text, 't_wait_seconds_bucket{le="0.1"} 1\n')
  T.contains(text, 't_wait_seconds_bucket{le="1"} 2\n')
  T.contains(text, 't_wait_seconds_bucket{le="+Inf"} 3\n')
  T.contains(text, "t_wait_seconds_count 3\n")
  T.raises(function() h:observe(0 / 0) end, "NaN")
  T.eq(h.inc, nil, "a histogram has no inc")
end)

T.test("redeclaring: identical returns the same family, conflicting errors", function()
  local a = metrics.counter { name = "t_shared_total", help = "Shared.", labels = { "x" } }
  local b = metrics.counter { name = "t_shared_total", help = "Shared.", labels = { "x" } }
  a:inc("1")
  b:inc("1")
  T.eq(metrics.value("t_shared_total", "1"), 2)
  T.raises(function() metrics.counter { name = "t_shared_total", help = "Other.", labels = { "x" } } end,
           "already declared as a counter")
  T.raises(function() metrics.gauge { name = "t_shared", help = "Shared." } end, "already declared")
  T.raises(function() metrics.gauge { name = "t_shared_total", help = "Shared." } end, "clash")
end)

T.test("declaration errors are clear", function()
  T.raises(function() metrics.counter { name = "bad-name", help = "x" } end, "invalid metric name")
  T.raises(function() metrics.counter { name = "t_ok", help = "x", labels = { "__r" } } end,
           "invalid label name")
  T.raises(function() metrics.histogram { name = "t_h", help = "x", labels = { "le" } } end,
           "reserved")
  T.raises(function() metrics.histogram { name = "t_h2", help = "x", buckets = { 2, 1 } } end,
           "strictly increasing")
  T.raises(function() metrics.gauge { name = "t_g", help = "x", buckets = { 1 } } end,
           "only histograms have buckets")
  T.raises(function() metrics.gauge { name = "t_g", help = "x", label = { "a" } } end,
           "unknown field 'label'")
  T.raises(function() metrics.gauge { help = "x" } end, "'name' is required")
  T.raises(function() metrics.gauge { name = "t_g", help = "x", unit = "bytes" } end,
           "must end with _bytes")
  T.raises(function() metrics.gauge("t_g") end, "table expected")
end)

T.test("expose: escaping, formats, sorting", function()
  local g = metrics.gauge { name = "t_escape", help = "Back\\slash\nnewline.", labels = { "v" } }
  g:set(1, { v = 'q"uote\nline\\' })
  g:set(2, { v = "a" })
  local text = metrics.expose("prometheus")
  T.contains(text, "# HELP t_escape Back\\\\slash\\nnewline.\n# TYPE t_escape gauge\n" ..
             't_escape{v="a"} 2\nt_escape{v="q\\"uote\\nline\\\\"} 1\n')
  local om = metrics.expose("openmetrics")
  T.contains(om, "# TYPE t_jobs counter\n")
  T.contains(om, "# UNIT t_wait_seconds seconds\n")
  T.eq(om:sub(-6), "# EOF\n")
  T.ok(not text:find("# EOF", 1, true))
  T.ok(text:find("# HELP t_escape", 1, true) < text:find("# HELP t_jobs_total", 1, true),
       "families sorted by name")
  T.raises(function() metrics.expose("json") end, "invalid option")
end)

T.test("value of an unknown family", function()
  local v, err = metrics.value("t_nothing_here")
  T.eq(v, nil)
  T.contains(err, "no metric family named 't_nothing_here'")
end)

T.test("remove forgets a series", function()
  local g = metrics.gauge { name = "t_per_container_bytes", help = "x", labels = { "container" } }
  g:set(5, "c1")
  T.contains(metrics.expose(), 't_per_container_bytes{container="c1"} 5\n')
  g:remove("c1")
  T.ok(not metrics.expose():find('container="c1"', 1, true))
end)

T.test("catalogue: declared at require, at least 22 families, HELP and TYPE for each", function()
  local cat = metrics.catalogue()
  local n = 0
  local text = metrics.expose()
  for name, family in pairs(cat) do
    n = n + 1
    T.ok(name:match("^sandprobe_"), name)
    T.contains(text, "# HELP " .. name .. " ")
    T.contains(text, "# TYPE " .. name .. " ")
    T.ok(tostring(family):find(name, 1, true), name)
  end
  T.ok(n >= 22, "catalogue has " .. n .. " families")
  local version = text:match('sandprobe_build_info{version="(%d+%.%d+%.%d+)"} 1\n')
  T.ok(version, "build_info carries the version")
  T.eq(metrics.value("sandprobe_build_info", { version = version }), 1)
  T.ok(metrics.value("sandprobe_process_start_time_seconds") > 1.6e9)
  cat.sandprobe_scenario_results_total:inc({ pack = "selftest", status = "pass" })
  T.eq(metrics.value("sandprobe_scenario_results_total", { pack = "selftest", status = "pass" }), 1)
  T.raises(function() metrics.counter { name = "sandprobe_pool_size", help = "mine" } end,
           "already declared")
end)

T.test("write_textfile: atomic write, error for a bad folder", function()
  local path = os.tmpname()
  T.ok(metrics.write_textfile(path))
  local f = assert(io.open(path))
  local text = f:read("a")
  f:close()
  os.remove(path)
  T.contains(text, "# TYPE sandprobe_build_info gauge\n")
  local ok, err = metrics.write_textfile("/nonexistent-folder/x.prom")
  T.eq(ok, nil)
  T.contains(err, "No such file or directory")
end)

T.test("serve: port, scrape, close, bad addresses", function()
  local server = assert(metrics.serve("127.0.0.1:0"))
  local port = server:port()
  T.ok(port > 0)
  T.contains(tostring(server), "port " .. port)
  -- A second server cannot take the same port: an environmental failure.
  local other, err = metrics.serve("127.0.0.1:" .. port)
  T.eq(other, nil)
  T.contains(err, "Address already in use")
  server:close()
  server:close()
  T.eq(tostring(server), "metrics server (closed)")
  T.raises(function() server:port() end, "closed")
  T.raises(function() metrics.serve("nonsense") end, "invalid listen address")
  do
    local scoped <close> = assert(metrics.serve("127.0.0.1:0"))
    T.ok(scoped:port() > 0)
  end
end)
