-- The diversity module from Lua: normalisation, private monitors collapsing
-- and recovering, the caller's own figures and their refusals, the
-- process-wide monitor's metrics, and the default collapse alert rule
-- firing from those metrics through the alert engine.
local T = require("sandprobe.testing")
local alerts = require("alerts")
local diversity = require("diversity")
local metrics = require("metrics")

local function renamed(i)
  return ("count_%d = %d\nfor item_%d in range(count_%d):\n    print(item_%d * %d)\n"):format(i, i, i, i, i, i)
end

local VARIED = {
  "print(1)\n",
  "x = [i * i for i in range(5)]\nprint(sum(x))\n",
  "def f(a, b):\n    return a + b\nprint(f(1, 2))\n",
  "import math\nprint(math.sqrt(16))\n",
  "class A:\n    def m(self):\n        return 1\nprint(A().m())\n",
  "d = {'a': 1}\nfor k, v in d.items():\n    print(k, v)\n",
  "try:\n    x = 1 / 0\nexcept ZeroDivisionError:\n    x = None\n",
  "s = 'abc'\nprint(s.upper()[::-1])\n",
}

T.test("renaming and constants do not make a new program", function()
  T.eq(diversity.similarity(renamed(1), renamed(2)), 1.0)
  T.eq(diversity.fingerprint(renamed(1)).exact, diversity.fingerprint(renamed(7)).exact)
  T.ok(diversity.similarity(VARIED[3], VARIED[5]) < 0.5)
  T.eq(diversity.fingerprint("x = '\n").rejected_rule ~= nil, true)
end)

T.test("the validator's fingerprint equals the one from the source", function()
  local validator = require("sandprobe.validator")
  local sources = { renamed(3), "import os\nos.system('ls')\n", "x = '\n", "",
    "\xEF\xBB\xBFprint(1)\r\nprint(2)\r\n" }
  for _, code in ipairs(VARIED) do sources[#sources + 1] = code end
  for _, code in ipairs(sources) do
    local v = validator.check(code, nil, { fingerprint = true })
    T.ok(v.fingerprint ~= nil, "a fingerprint for " .. ("%q"):format(code))
    local from_validator = diversity.fingerprint(v.fingerprint)
    local from_source = diversity.fingerprint(validator.as_python_reads(code))
    for _, key in ipairs { "exact", "minhash", "tokens", "lines", "rejected_rule" } do
      T.eq(from_validator[key], from_source[key], key .. " of " .. ("%q"):format(code))
    end
    T.eq(diversity.similarity(v.fingerprint, validator.as_python_reads(code)), 1.0)
  end
  T.eq(validator.check("print(1)\n").fingerprint, nil) -- only when asked
  -- A monitor fed fingerprints counts exactly as one fed the sources.
  local by_code, by_fingerprint = diversity.new { window = 4 }, diversity.new { window = 4 }
  local a, b
  for i, code in ipairs(VARIED) do
    a = by_code:observe(i % 2 == 0 and renamed(i) or code)
    b = by_fingerprint:observe(validator.check(i % 2 == 0 and renamed(i) or code, nil, { fingerprint = true }).fingerprint)
  end
  T.eq(b.score, a.score)
  T.eq(b.unique, a.unique)
  T.eq(b.total, a.total)
  T.raises(function() by_code:observe({}) end, "string or fingerprint")
  T.raises(function() by_code:observe(io.stdout) end, "string or fingerprint")
end)

T.test("a private monitor collapses on repetition and recovers with variety", function()
  local m = diversity.new { window = 5, threshold = 0.2, collapse_after = 3 }
  local s
  for i = 1, 6 do s = m:observe(renamed(i)) end
  T.eq(s.score, 0)
  T.eq(s.collapsed, true)
  T.eq(s.unique, 1)
  T.eq(s.total, 6)
  T.eq(s.collapse_events, 1)
  T.eq(s.window_size, 5)
  for _, code in ipairs(VARIED) do s = m:observe(code) end
  T.eq(s.collapsed, false)
  T.ok(s.score > 0.5, "score " .. s.score)
  T.eq(s.unique, 1 + #VARIED)
  s = m:configure { window = 3 }
  T.eq(s.total, 0)
  T.eq(s.window_size, 3)
  T.eq(s.collapse_events, 1)
end)

T.test("record takes the caller's figures and refuses bad ones", function()
  local m = diversity.new()
  local s = m:record { score = 0.5, unique = 10, total = 20, window = 5, collapsed = false }
  T.eq(s.score, 0.5)
  T.eq(s.unique, 10)
  T.eq(s.total, 20)
  T.eq(s.window, 5)
  T.eq(s.collapsed, false)
  local good = { score = 0.5, unique = 10, total = 20, window = 5, collapsed = false }
  local function with(key, value)
    local t = {}
    for k, v in pairs(good) do t[k] = v end
    t[key] = value
    return t
  end
  T.raises(function() m:record(with("score", 1.5)) end, "diversity.record: score must be in [0, 1], got 1.5")
  T.raises(function() m:record(with("score", -0.01)) end, "score must be in [0, 1]")
  T.raises(function() m:record(with("score", 0 / 0)) end, "score must be in [0, 1]")
  T.raises(function() m:record(with("unique", -1)) end, "unique must be a non-negative integer")
  T.raises(function() m:record(with("total", -20)) end, "total must be a non-negative integer")
  T.raises(function() m:record(with("unique", 21)) end, "unique (21) cannot exceed total (20)")
  T.raises(function() m:record(with("window", 0)) end, "window must be at least 1")
  T.raises(function() m:record(with("unique", 2.5)) end, "unique must be a non-negative integer")
  T.raises(function() m:record(with("score", "0.5")) end, "score must be a number, got string")
  T.raises(function() m:record(with("collapsed", 1)) end, "collapsed must be a boolean")
  T.raises(function() m:record(with("scroe", 1)) end, "unknown key 'scroe'")
  T.raises(function() m:record(with("total", nil)) end, "total must be a number, got nil")
  -- nothing was clamped or half-applied
  T.eq(m:state().score, 0.5)
  T.eq(m:state().unique, 10)
  T.raises(function() diversity.new { window = 1 } end, "window must be between 2")
  T.raises(function() diversity.new { threshold = 2 } end, "threshold must be in [0, 1]")
  T.raises(function() diversity.new { collapse_after = 0 } end, "collapse_after must be at least 1")
  T.raises(function() diversity.new { windw = 3 } end, "unknown key 'windw'")
end)

T.test("the process-wide monitor publishes metrics and the default rule fires on collapse", function()
  diversity.configure { window = 4, threshold = 0.2, collapse_after = 2 }
  local events = metrics.value("sandprobe_diversity_collapse_events_total")
  local rules = require("sandprobe.alerts.default")
  local manager = alerts.load(rules)
  local function lookup(metric) return metrics.value(metric) end
  for i = 1, 4 do diversity.observe(renamed(i)) end
  T.eq(metrics.value("sandprobe_diversity_score"), 0)
  T.eq(metrics.value("sandprobe_diversity_collapsed"), 1)
  T.eq(metrics.value("sandprobe_diversity_programs"), 4)
  T.eq(metrics.value("sandprobe_diversity_unique_programs"), 1)
  T.eq(metrics.value("sandprobe_diversity_window_programs"), 4)
  T.eq(metrics.value("sandprobe_diversity_collapse_events_total"), events + 1)
  local fired = false
  for _, tr in ipairs(manager:evaluate(1000, lookup)) do
    if tr.name == "SandprobeDiversityCollapsed" and tr.to == "firing" then fired = true end
  end
  T.ok(fired, "SandprobeDiversityCollapsed fired")
  for _, code in ipairs(VARIED) do diversity.observe(code) end
  T.eq(metrics.value("sandprobe_diversity_collapsed"), 0)
  local resolved = false
  for _, tr in ipairs(manager:evaluate(1001, lookup)) do
    if tr.name == "SandprobeDiversityCollapsed" and tr.to == "resolved" then resolved = true end
  end
  T.ok(resolved, "the alert resolved once variety came back")
  diversity.record { score = 0.5, unique = 10, total = 20, window = 5, collapsed = false }
  T.eq(metrics.value("sandprobe_diversity_score"), 0.5)
  T.eq(metrics.value("sandprobe_diversity_programs"), 20)
  diversity.configure { window = 20, threshold = 0.2, collapse_after = 10 }
end)
