-- The alerts module: rules from Lua, evaluation on a fake clock, the payload,
-- and a failed send that is counted, not fatal. (Real POSTs: tests/unit/test_alerts.c.)
local T = require("sandprobe.testing")
local alerts = require("alerts")
local json = require("json")

local function lookup_from(values)
  return function(metric) return values[metric] end
end

T.test("the default rules load", function()
  local rules = require("sandprobe.alerts.default")
  local m = alerts.load(rules)
  local states = m:states()
  T.eq(#states, #rules)
  for i, s in ipairs(states) do
    T.eq(s.name, rules[i].name)
    T.eq(s.state, "inactive")
    T.ok(s.labels.severity, "every default rule has a severity")
  end
  -- nothing known: nothing fires
  T.eq(#m:evaluate(1000, function() return nil end), 0)
end)

T.test("pending, firing, resolved on a fake clock", function()
  local m = alerts.load {
    { name = "MemLow", expr = "mem < 100", for_seconds = 10, labels = { severity = "page" }, summary = "low" },
  }
  local values = { mem = 50 }
  local t = m:evaluate(100, lookup_from(values))
  T.eq(#t, 1)
  T.eq(t[1].name, "MemLow")
  T.eq(t[1].from, "inactive")
  T.eq(t[1].to, "pending")
  T.eq(t[1].value, 50)
  T.eq(t[1].at, 100)
  T.eq(#m:evaluate(109, lookup_from(values)), 0)
  T.eq(#m:firing(), 0)
  t = m:evaluate(110, lookup_from(values))
  T.eq(t[1].to, "firing")
  local f = m:firing()
  T.eq(#f, 1)
  T.eq(f[1].fired_at, 110)
  T.eq(f[1].active_since, 100)
  T.eq(f[1].labels.severity, "page")
  T.eq(f[1].summary, "low")

  local payload, count = m:payload()
  T.eq(count, 1)
  local a = json.decode(payload)[1]
  T.eq(a.labels.alertname, "MemLow")
  T.eq(a.startsAt, "1970-01-01T00:01:50.000Z")

  values.mem = nil -- a vanished series resolves the alert
  t = m:evaluate(120, lookup_from(values))
  T.eq(t[1].to, "resolved")
  T.eq(t[1].value, nil)
  T.eq(m:states()[1].resolved_at, 120)
  a = json.decode((m:payload()))[1]
  T.eq(a.endsAt, "1970-01-01T00:02:00.000Z")
end)

T.test("a failing send is counted, not fatal", function()
  local m = alerts.load { { name = "Always", expr = "one == 1" } }
  T.eq(m:evaluate(function() return 1 end)[1].to, "firing") -- now defaults to the wall clock
  local sent, err = m:send("http://127.0.0.1:1", { timeout = 1 })
  T.eq(sent, nil)
  T.contains(err, "alertmanager http://127.0.0.1:1/api/v2/alerts")
  T.eq(m:stats().failed, 1)
  T.eq(m:stats().sent, 0)
end)

T.test("lookup errors abort the evaluation and change nothing", function()
  local m = alerts.load { { name = "A", expr = "x > 0" } }
  m:evaluate(1, function() return 5 end)
  T.raises(function() m:evaluate(2, function() error("boom") end) end, "boom")
  T.raises(function() m:evaluate(2, function() return "5" end) end, "returned a string for x")
  T.eq(m:states()[1].state, "firing")
end)

T.test("malformed rules raise with the rule named", function()
  T.raises(function() alerts.load { { name = "X", expr = "x >" } } end, "alert rule X: expr")
  T.raises(function() alerts.load { { name = "X", expr = "x > 1", for_secs = 3 } } end, "unknown key for_secs")
  T.raises(function() alerts.load { { expr = "x > 1" } } end, "name must be a string")
  T.raises(function() alerts.load { { name = "X", expr = "x > 1", labels = { 1 } } } end, "labels must map strings")
  T.raises(function() alerts.load { { name = "X", expr = "x > 1", labels = { alertname = "y" } } } end, "bad label")
  T.raises(function() alerts.load { { name = "X", expr = "x > 1" }, { name = "X", expr = "y > 1" } } end, "defined twice")
  T.raises(function() alerts.load { "nope" } end, "a table expected")
end)

T.test("close is idempotent and a closed manager refuses use", function()
  local m = alerts.load {}
  m:close()
  m:close()
  T.raises(function() m:states() end, "closed alert manager")
  do local scoped <close> = alerts.load {} end
end)
