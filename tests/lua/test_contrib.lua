-- contrib/ stays in step with the engine: the Grafana dashboard queries every
-- family of the catalogue (and only families that exist), and the Prometheus
-- rules file has exactly the default alert rules, with the same expression,
-- hold time, severity and summary. (promtool checks the rules themselves:
-- tests/integration/test_metrics_promtool.sh.)
local T = require("sandprobe.testing")
local json = require("json")
local metrics = require("metrics")

local ROOT = assert(os.getenv("SANDPROBE_TESTS"), "SANDPROBE_TESTS must be set") .. "/.."

local function read(path)
  local f = assert(io.open(ROOT .. "/" .. path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

local function dashboard_exprs()
  local d = assert(json.decode(read("contrib/grafana/sandprobe.json")))
  local exprs = {}
  for _, p in ipairs(d.panels) do
    for _, t in ipairs(p.targets or {}) do exprs[#exprs + 1] = t.expr end
  end
  return d, exprs
end

T.test("the dashboard queries every catalogue family", function()
  local d, exprs = dashboard_exprs()
  T.eq(d.uid, "sandprobe")
  local all = table.concat(exprs, "\n")
  local missing = {}
  local n = 0
  for name in pairs(metrics.catalogue()) do
    n = n + 1
    -- a histogram is queried through its _bucket series
    if not all:find(name, 1, true) then missing[#missing + 1] = name end
  end
  table.sort(missing)
  T.ok(n >= 33, "the catalogue has its families")
  T.eq(table.concat(missing, ", "), "", "families no panel queries")
end)

T.test("the dashboard queries no family that does not exist", function()
  local _, exprs = dashboard_exprs()
  local known = metrics.catalogue()
  for _, e in ipairs(exprs) do
    for name in e:gmatch("sandprobe_[%w_]+") do
      local base = name:gsub("_bucket$", ""):gsub("_count$", ""):gsub("_sum$", "")
      T.ok(known[name] or known[base], "unknown family " .. name .. " in " .. e)
    end
  end
end)

-- The rules file as {name = {expr=, for_seconds=, severity=, summary=}}: the
-- layout of contrib/prometheus/sandprobe-rules.yml (one key per line).
local function prometheus_rules()
  local rules, current = {}, nil
  for line in read("contrib/prometheus/sandprobe-rules.yml"):gmatch("[^\n]+") do
    local name = line:match("^%s*%- alert:%s*(%S+)")
    if name then
      current = {}
      rules[name] = current
    elseif current then
      local key, value = line:match("^%s*(%a[%w_]*):%s*(.-)%s*$")
      if key == "expr" then current.expr = value
      elseif key == "for" then current.for_seconds = tonumber(value:match("^(%d+)s$"))
      elseif key == "severity" then current.severity = value
      elseif key == "summary" then current.summary = value:match('^"(.*)"$') end
    end
  end
  return rules
end

T.test("the Prometheus rules are the default alert rules", function()
  local defaults = require("sandprobe.alerts.default")
  local prom = prometheus_rules()
  local count = 0
  for _ in pairs(prom) do count = count + 1 end
  T.eq(count, #defaults, "rules in the file")
  for _, r in ipairs(defaults) do
    local p = prom[r.name]
    T.ok(p, r.name .. " is in contrib/prometheus/sandprobe-rules.yml")
    T.eq(p.expr, r.expr, r.name .. ": expr")
    T.eq(p.for_seconds, r.for_seconds, r.name .. ": for")
    T.eq(p.severity, r.labels.severity, r.name .. ": severity")
    T.eq(p.summary, r.summary, r.name .. ": summary")
  end
  T.ok(prom.SandprobeDiversityCollapsed, "diversity collapse is among them")
end)
