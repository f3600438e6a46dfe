-- JSON report, schema 1 (docs/report-schema.md).
local json = require("json")

local M = {}

local function result_record(r)
  return {
    id = r.id, pack = r.pack, title = r.title or "", tags = json.array(r.tags or {}),
    status = r.status, duration_s = r.duration_s or 0,
    message = r.message or json.null,
    evidence = next(r.evidence or {}) and r.evidence or setmetatable({}, nil),
    remediation = r.remediation or json.null,
    target = r.target or json.null, runtime = r.runtime or json.null,
  }
end

function M.render(run)
  local results = json.array({})
  for i, r in ipairs(run.results) do results[i] = result_record(r) end
  local doc = {
    schema = run.schema, tool = run.tool, started = run.started,
    duration_s = run.duration_s, results = results, summary = run.summary,
    target = run.target or json.null, runtimes = json.array(run.runtimes or {}),
  }
  return json.encode(doc, { pretty = true }) .. "\n"
end

return M
