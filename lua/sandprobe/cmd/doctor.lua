-- `sandprobe doctor`: is this machine ready to prove sandboxes? One line per
-- check, and what to do about each that fails. Exit 0 all pass, 1 any fails.
local args = require("sandprobe.args")
local json = require("json")

local M = {
  summary = "check the Docker daemon, its limits and the sandbox image",
  usage = "Usage: sandprobe doctor [--format text|json|html]\n\n" ..
    "Checks that the Docker daemon answers, its versions, storage and cgroup drivers,\n" ..
    "seccomp and memory/swap/pids limit support, that the sandbox image is present,\n" ..
    "that a test container prints 'Hello from Docker', whether the default bridge exists,\n" ..
    "and, for every runtime the daemon offers, that it starts a container (one line each).",
  options = {
    { name = "format", short = "f", arg = "FMT", choices = { "text", "json", "html" }, default = "text",
      help = "output format" },
  },
}

local function print_text(results, out)
  for _, r in ipairs(results) do
    out:write(("%s %-32s %s\n"):format(r.ok and "✓" or "✗", r.name, r.detail or ""))
    if not r.ok and r.remedy then out:write(("  %-32s -> %s\n"):format("", r.remedy)) end
  end
end

local function print_json(results, ok, out)
  local checks = {}
  for _, r in ipairs(results) do
    checks[#checks + 1] = { id = r.id, name = r.name, ok = r.ok, detail = r.detail or "",
      remedy = r.remedy or json.null }
  end
  out:write(json.encode({ ok = ok, checks = json.array(checks) }, { pretty = true }), "\n")
end

function M.run(argv)
  local opts, rest = args.parse(argv, M.options)
  if #rest > 0 then args.usage_error("unexpected argument '" .. rest[1] .. "'") end
  local doctor = require("sandprobe.doctor")
  local results = doctor.checks()
  local ok = doctor.all_ok(results)
  if opts.format == "json" then
    print_json(results, ok, io.stdout)
  elseif opts.format == "html" then
    io.stdout:write(require("sandprobe.report.html").render_doctor(results, ok))
  else
    print_text(results, io.stdout)
    local failed = 0
    for _, r in ipairs(results) do if not r.ok then failed = failed + 1 end end
    io.stdout:write(ok and "all checks passed\n" or ("%d of %d checks failed\n"):format(failed, #results))
  end
  return ok and 0 or 1
end

return M
