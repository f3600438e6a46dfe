-- `sandprobe doctor`: is this machine ready to prove sandboxes? One line per
-- check, and what to do about each that fails. Exit 0 all pass, 1 any fails.
local args = require("sandprobe.args")
local json = require("json")
local reports = require("sandprobe.reports")

-- Its choices are the registered doctor formats (below).
local FORMAT_OPTION = { name = "format", short = "f", arg = "FMT", default = "text", help = "output format" }

local M = {
  summary = "check the Docker daemon, its limits and the sandbox image",
  usage = "Usage: sandprobe doctor [--format text|json|html]\n\n" ..
    "Checks that the Docker daemon answers, its versions, storage and cgroup drivers,\n" ..
    "seccomp and memory/swap/pids limit support, that the sandbox image is present,\n" ..
    "that a test container prints 'Hello from Docker', whether the default bridge exists,\n" ..
    "and, for every runtime the daemon offers, that it starts a container (one line each).",
  options = {
    FORMAT_OPTION,
  },
}

-- doc: { results = doctor.checks(), ok = doctor.all_ok(results) }
local function write_text(doc, out)
  local failed = 0
  for _, r in ipairs(doc.results) do
    out:write(("%s %-32s %s\n"):format(r.ok and "✓" or "✗", r.name, r.detail or ""))
    if not r.ok and r.remedy then out:write(("  %-32s -> %s\n"):format("", r.remedy)) end
    if not r.ok then failed = failed + 1 end
  end
  out:write(doc.ok and "all checks passed\n" or ("%d of %d checks failed\n"):format(failed, #doc.results))
end

local function write_json(doc, out)
  local checks = {}
  for _, r in ipairs(doc.results) do
    checks[#checks + 1] = { id = r.id, name = r.name, ok = r.ok, detail = r.detail or "",
      remedy = r.remedy or json.null }
  end
  out:write(json.encode({ ok = doc.ok, checks = json.array(checks) }, { pretty = true }), "\n")
end

local function write_html(doc, out)
  out:write(require("sandprobe.report.html").render_doctor(doc.results, doc.ok))
end

FORMAT_OPTION.choices = reports.register_all("doctor",
  { { "text", write_text }, { "json", write_json }, { "html", write_html } })

function M.run(argv)
  local opts, rest = args.parse(argv, M.options)
  if #rest > 0 then args.usage_error("unexpected argument '" .. rest[1] .. "'") end
  local doctor = require("sandprobe.doctor")
  local results = doctor.checks()
  local ok = doctor.all_ok(results)
  reports.write("doctor", opts.format, { results = results, ok = ok }, io.stdout)
  return ok and 0 or 1
end

return M
