-- `sandprobe run [SELECTION...]`: run scenarios and report.
local args = require("sandprobe.args")
local core = require("sandprobe.core")
local metrics_options = require("sandprobe.metrics_options")
local reports = require("sandprobe.reports")
local runner = require("sandprobe.runner")
local startup = require("sandprobe.startup")
local target_options = require("sandprobe.target_options")
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

The sandbox under test is the built-in hardened one unless --target FILE (a
target file, docs/targets.md), --target "docker run ..." or --target-like
CONTAINER names another. --runtime runc,runsc (or a target's list) runs the
selection once per runtime; the reports then end with a scenario x runtime
matrix. A runtime that cannot start containers makes its column "error".

Exit status: 0 all selected scenarios passed or skipped (on every runtime),
1 a scenario failed or errored, 2 usage or configuration error (a bad target
among them: reported before any container exists).]],
  options = {
    { name = "format", short = "f", arg = "FMT", choices = FORMATS, multi = true, help = "report format: " .. table.concat(FORMATS, ", ") },
    { name = "output", short = "o", arg = "FILE", multi = true, help = "write the matching --format to FILE" },
    { name = "jobs", short = "j", arg = "N", type = "integer", min = 1, max = args.MAX_JOBS, default = 1, help = "scenarios run in parallel" },
    { name = "set", arg = "KEY=VALUE", multi = true, help = "scenario argument (t.args.KEY)" },
    { name = "pack-path", arg = "DIR", multi = true, help = "also load packs and modules from DIR" },
    { name = "timeout", arg = "SECONDS", type = "number", min = 0.001, max = 86400, help = "time limit of scenarios that set none (default 60)" },
    { name = "trust", arg = "PACK", multi = true, help = "give PACK's scenarios io and os" },
    { name = "quiet", short = "q", help = "no progress lines on standard error" },
  },
}
metrics_options.add_to(M.options)
target_options.add_to(M.options)

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
  for _, t in ipairs(targets) do
    if t.path then args.check_writable("output", t.path) end
  end
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

-- Progress, one line per finished scenario: on standard output when it is a
-- terminal showing the text report (the lines are that report's first
-- part); else on standard error (piped, as in CI, or a machine format on
-- standard output), unless --quiet. `matrix`: lines name their runtime.
-- Returns the printer and whether the
-- lines are the text report's own.
local function progress_printer(targets, quiet, matrix)
  local to_stdout
  for _, t in ipairs(targets) do
    if not t.path then to_stdout = t end
  end
  if to_stdout and to_stdout.format == "text" and core.isatty(1) then
    local colour = text_report.use_colour(true)
    return function(r) io.stdout:write(text_report.line(r, colour, matrix)); io.stdout:flush() end, true
  end
  if quiet then return nil, false end
  local colour = text_report.use_colour(core.isatty(2))
  return function(r, i, n)
    io.stderr:write(("[%d/%d] "):format(i, n), text_report.line(r, colour, matrix))
    io.stderr:flush()
  end, false
end

-- A run whose scenarios need the daemon stops here, once, when it does not
-- answer (rather than every scenario failing the same way).
local function require_daemon(chosen)
  if not startup.needs_docker(chosen) then return end
  local docker = require("docker")
  local api, err = docker.ping()
  if not api then
    args.usage_error(("the Docker daemon is needed and does not answer: %s"):format(tostring(err)))
  end
  startup.sweep_leftovers(io.stderr)
end

-- The whole column of a runtime that cannot start a container: every
-- scenario errors with the daemon's message, nothing of it runs.
local function runtime_error_column(chosen, runtime, message)
  local results = {}
  for i, e in ipairs(chosen) do
    results[i] = { id = e.id, pack = e.pack, title = e.title, tags = e.tags, file = e.file,
                   status = "error", evidence = {}, duration_s = 0,
                   message = ("runtime %s cannot start containers: %s"):format(runtime, message) }
  end
  return { results = results, duration_s = 0 }
end

-- Runs the selection once per runtime (one pass when none is named) and
-- joins the passes into one run record whose results carry target and
-- runtime.
local function run_matrix(chosen, packs_by_name, opts, chosen_target, on_result)
  local t = chosen_target.target
  local merged, runtimes = nil, chosen_target.runtimes
  local docker_needed = startup.needs_docker(chosen)
  for _, runtime in ipairs(runtimes) do
    target_options.use(chosen_target, runtime)
    local broken = docker_needed and chosen_target.named and require("sandprobe.doctor").try_runtime(t.image, chosen_target.named and runtime or nil, t.python)
    local run = broken and runtime_error_column(chosen, runtime, broken)
      or runner.execute(chosen, packs_by_name, {
        jobs = opts.jobs, timeout = opts.timeout, set = opts.set, trust = opts.trust,
        debug = opts.debug, on_result = function(r, ...)
          r.runtime, r.target = runtime, t.name or t.source
          if on_result then on_result(r, ...) end
        end,
      })
    for _, r in ipairs(run.results) do r.runtime, r.target = runtime, t.name or t.source end
    if broken and on_result then
      for i, r in ipairs(run.results) do on_result(r, i, #run.results) end
    end
    if merged == nil then
      merged = run
    else
      table.move(run.results, 1, #run.results, #merged.results + 1, merged.results)
      merged.duration_s = merged.duration_s + run.duration_s
    end
  end
  merged.summary = runner.summarise(merged.results)
  merged.target = t.name or t.source
  merged.runtimes = runtimes
  return merged
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
  local chosen_target = target_options.resolve(opts)
  require_daemon(chosen)
  local on_result, live = progress_printer(targets, opts.quiet, #chosen_target.runtimes > 1)
  local metrics_run = metrics_options.start(opts)
  local run = run_matrix(chosen, packs_by_name, opts, chosen_target, on_result)
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
