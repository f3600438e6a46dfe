-- `sandprobe report FILE.json --format html [--output FILE]`: renders a saved
-- JSON report (of `run --format json`, `bench --format json` or
-- `doctor --format json`) as the page `--format html` would have written.
local args = require("sandprobe.args")
local html = require("sandprobe.report.html")
local json = require("json")

local M = {
  summary = "render a saved JSON report (run, bench or doctor) as HTML",
  usage = [[Usage: sandprobe report FILE.json [--format html] [--output FILE]

Reads a report written by `sandprobe run --format json` (schema 1),
`sandprobe bench --format json` or `sandprobe doctor --format json` and
writes the same self-contained HTML page their --format html writes, to
standard output or to --output.

Exit status: 0 written, 2 on usage errors or when FILE is not a sandprobe
JSON report (unreadable, truncated, another schema version).]],
  options = {
    { name = "format", short = "f", arg = "FMT", choices = { "html" }, default = "html", help = "output format" },
    { name = "output", short = "o", arg = "FILE", help = "write to FILE instead of standard output" },
  },
}

M.SCHEMA = 1

local STATUSES = { pass = true, fail = true, error = true, skip = true }

-- JSON null becomes nil, as in the tables the writers are given live.
local function without_nulls(v)
  if v == json.null then return nil end
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = without_nulls(x) end
  return out
end

local function is_list(v) return type(v) == "table" and (next(v) == nil or v[1] ~= nil) end

-- nil, or why doc is not a run report of this schema.
local function check_run(doc)
  if doc.schema ~= M.SCHEMA then
    return ("schema version %s, this sandprobe reads %d"):format(tostring(doc.schema), M.SCHEMA)
  end
  if type(doc.tool) ~= "table" or doc.tool.name ~= "sandprobe" then return "no tool.name \"sandprobe\"" end
  if not is_list(doc.results) then return "no results list" end
  local s = doc.summary
  if type(s) ~= "table" then return "no summary" end
  for _, k in ipairs({ "pass", "fail", "error", "skip", "total" }) do
    if math.type(s[k]) ~= "integer" then return "summary." .. k .. " is not an integer" end
  end
  for i, r in ipairs(doc.results) do
    if type(r) ~= "table" or type(r.id) ~= "string" or not STATUSES[r.status] then
      return ("results[%d] has no id or a status other than pass, fail, error, skip"):format(i)
    end
    if r.evidence ~= nil and type(r.evidence) ~= "table" then return ("results[%d].evidence is not an object"):format(i) end
    if r.tags ~= nil and not is_list(r.tags) then return ("results[%d].tags is not a list"):format(i) end
  end
  if #doc.results ~= s.total then
    return ("%d results but summary.total %d (truncated?)"):format(#doc.results, s.total)
  end
  return nil
end

local function is_number_or_nil(v) return v == nil or type(v) == "number" end

-- nil, or why a bench series ({p50_s=, p95_s=, max_s=, samples_s={...}}) is malformed.
local function check_series(name, s)
  if type(s) ~= "table" then return name .. " is not an object" end
  for _, k in ipairs({ "p50_s", "p95_s", "max_s", "min_s", "mean_s", "runs", "errors" }) do
    if not is_number_or_nil(s[k]) then return ("%s.%s is not a number"):format(name, k) end
  end
  if s.samples_s ~= nil then
    if not is_list(s.samples_s) then return name .. ".samples_s is not a list" end
    for i, v in ipairs(s.samples_s) do
      if type(v) ~= "number" then return ("%s.samples_s[%d] is not a number"):format(name, i) end
    end
  end
  return nil
end

local function is_bench(doc)
  return type(doc.docker_run) == "table" and type(doc.cold) == "table" and type(doc.pooled) == "table"
    and is_list(doc.targets)
end

-- nil, or why a bench result is malformed.
local function check_bench(doc)
  local why = check_series("docker_run", doc.docker_run) or check_series("cold", doc.cold)
    or check_series("pooled", doc.pooled)
  if why then return why end
  for phase, s in pairs(type(doc.cold.phases) == "table" and doc.cold.phases or {}) do
    if phase ~= "errors" then
      why = check_series("cold.phases." .. tostring(phase), s)
      if why then return why end
    end
  end
  for i, t in ipairs(doc.targets) do
    if type(t) ~= "table" or type(t.name) ~= "string" or type(t.met) ~= "boolean" then
      return ("targets[%d] has no name or no met flag"):format(i)
    end
  end
  if not is_number_or_nil(doc.orphans) then return "orphans is not a number" end
  return nil
end

local function is_doctor(doc)
  if type(doc.ok) ~= "boolean" or not is_list(doc.checks) then return false end
  for _, c in ipairs(doc.checks) do
    if type(c) ~= "table" or type(c.name) ~= "string" or type(c.ok) ~= "boolean" then return false end
  end
  return true
end

-- The page, or nil and why the text is not a report.
function M.render(text)
  local doc, err = json.decode(text)
  if doc == nil then return nil, "not JSON (" .. tostring(err) .. "; truncated?)" end
  doc = without_nulls(doc)
  if type(doc) ~= "table" or is_list(doc) then return nil, "not a sandprobe JSON report (not an object)" end
  if doc.schema ~= nil then
    local why = check_run(doc)
    if why then return nil, "not a sandprobe run report: " .. why end
    return html.render(doc)
  elseif is_bench(doc) then
    local why = check_bench(doc)
    if why then return nil, "not a sandprobe bench result: " .. why end
    return html.render_bench(doc)
  elseif is_doctor(doc) then
    return html.render_doctor(doc.checks, doc.ok)
  end
  return nil, "not a sandprobe JSON report (no schema, and not a bench or doctor report)"
end

local function fail(path, message)
  io.stderr:write(("sandprobe report: %s: %s\n"):format(path, message))
  return 2
end

function M.run(argv)
  local opts, files = args.parse(argv, M.options)
  if #files ~= 1 then args.usage_error("give exactly one JSON report file") end
  local path = files[1]
  local f, open_err = io.open(path, "rb")
  if not f then return fail(path, open_err) end
  local text = f:read("a")
  f:close()
  local page, why = M.render(text or "")
  if not page then return fail(path, why) end
  if not opts.output then
    io.stdout:write(page)
    return 0
  end
  -- Written beside the target and renamed: a failed write leaves no half page.
  local tmp = opts.output .. ".tmp"
  local out, err = io.open(tmp, "wb")
  if not out then return fail(opts.output, err) end
  local ok, werr = out:write(page)
  local closed, cerr = out:close()
  if not ok or not closed then
    os.remove(tmp)
    return fail(opts.output, werr or cerr)
  end
  local renamed, rerr = os.rename(tmp, opts.output)
  if not renamed then
    os.remove(tmp)
    return fail(opts.output, rerr)
  end
  return 0
end

return M
