-- `sandprobe run [SELECTION...]`: run scenarios and report.
local args = require("sandprobe.args")
local core = require("sandprobe.core")
local metrics_options = require("sandprobe.metrics_options")
local reports = require("sandprobe.reports")
local runner = require("sandprobe.runner")
local text_report = require("sandprobe.report.text")

-- Every lua/sandprobe/report/*.lua with a render function (reports.lua).
local FORMATS = reports.names("run")

local M = {
  summary = "run scenarios and report pass/fail with evidence",
  usage = [[Usage: sandprobe run [SELECTION...] [options]

SELECTION is a pack, a scenario id, a glob over ids (seed.network.*), a tag,
or an expression of them with and/or/not and parentheses ("seed and not slow").
Several selections are joined with "or". Without one, every pack not marked
default = false runs.

Several --format/--output pairs may be given: each --output receives the
--format just before it; a format without an --output goes to standard
output (at most one may).

Exit status: 0 all selected scenarios passed or skipped, 1 a scenario failed
or errored, 2 usage or configuration error.]],
  options = {
    { name = "format", short = "f", arg = "FMT", choices = FORMATS, multi = true, help = "report format: " .. table.concat(FORMATS, ", ") },
    { name = "output", short = "o", arg = "FILE", multi = true, help = "write the matching --format to FILE" },
    { name = "jobs", short = "j", arg = "N", type = "integer", min = 1, default = 1, help = "scenarios run in parallel" },
    { name = "set", arg = "KEY=VALUE", multi = true, help = "scenario argument (t.args.KEY)" },
    { name = "pack-path", arg = "DIR", multi = true, help = "also load packs and modules from DIR" },
    { name = "timeout", arg = "SECONDS", type = "number", min = 0.001, help = "time limit of scenarios that set none (default 60)" },
    { name = "trust", arg = "PACK", multi = true, help = "give PACK's scenarios io and os" },
  },
}
metrics_options.add_to(M.options)

-- Each --output belongs to the --format just before it; a format without
-- one goes to standard output, which at most one report may do.
local function report_targets(opts)
  local targets = {}
  for _, given in ipairs(opts._given) do
    if given.name == "format" then
      targets[#targets + 1] = { format = given.value }
    elseif given.name == "output" then
      local last = targets[#targets]
      if not last or last.path then
        args.usage_error(("--output %s must follow the --format it is for"):format(given.value))
      end
      last.path = given.value
    end
  end
  if #targets == 0 then targets[1] = { format = "text" } end
  local to_stdout = 0
  for _, t in ipairs(targets) do
    if not t.path then to_stdout = to_stdout + 1 end
  end
  if to_stdout > 1 then args.usage_error("only one report can go to standard output; give --output for the others") end
  return targets
end

local function write_file(path, text)
  local tmp = path .. ".tmp"
  local f, err = io.open(tmp, "w")
  if not f then return nil, err end
  f:write(text)
  f:close()
  local ok, rename_err = os.rename(tmp, path)
  if not ok then os.remove(tmp); return nil, rename_err end
  return true
end

local function progress_printer(targets)
  local live = core.isatty(1)
  for _, t in ipairs(targets) do
    if t.format == "text" and not t.path and live then
      local colour = text_report.use_colour(true)
      return function(r) io.stdout:write(text_report.line(r, colour)); io.stdout:flush() end, true
    end
  end
  return nil, false
end

-- Writes every report; 2 when one cannot be written, else nil.
local function write_reports(targets, run, live, opts)
  for _, t in ipairs(targets) do
    local render_opts = { colour = not t.path and text_report.use_colour(core.isatty(1)),
                          lines = not (live and not t.path), debug = opts.debug }
    local buffer = reports.buffer()
    reports.write("run", t.format, run, buffer, render_opts)
    local text = buffer:text()
    if t.path then
      local ok, err = write_file(t.path, text)
      if not ok then
        io.stderr:write(("sandprobe run: cannot write %s report: %s\n"):format(t.format, err))
        return 2
      end
    else
      io.stdout:write(text)
    end
  end
end

function M.run(argv)
  local opts, words = args.parse(argv, M.options)
  local targets = report_targets(opts)
  local chosen, packs_by_name = runner.plan(words, opts["pack-path"])
  if #chosen == 0 then
    args.usage_error(("no scenario matches '%s'"):format(table.concat(words, " ")))
  end
  local startup = require("sandprobe.startup")
  if startup.needs_docker(chosen) then startup.sweep_leftovers(io.stderr) end
  local on_result, live = progress_printer(targets)
  local metrics_run = metrics_options.start(opts)
  local run = runner.execute(chosen, packs_by_name, {
    jobs = opts.jobs, timeout = opts.timeout, set = opts.set, trust = opts.trust,
    debug = opts.debug, on_result = on_result,
  })
  local failed = write_reports(targets, run, live, opts)
  local metrics_ok, metrics_err = metrics_options.finish(metrics_run)
  if not metrics_ok then
    io.stderr:write("sandprobe run: ", metrics_err, "\n")
    return 2
  end
  local docker_gone = startup.daemon_unreachable()
  if docker_gone then
    io.stderr:write("sandprobe run: stopped: ", docker_gone, "\n")
    return 2
  end
  return failed or runner.exit_status(run)
end

return M
