-- `sandprobe bench [--runs N] [--parallel N] [--pool N] [--format text|json]`:
-- what a sandboxed run costs, against `docker run --rm` and against the
-- program run directly (lua/sandprobe/bench.lua; docs/pool-and-bench.md).
local args = require("sandprobe.args")
local bench = require("sandprobe.bench")
local json = require("json")
local reports = require("sandprobe.reports")
local target_options = require("sandprobe.target_options")

-- Its choices are the registered bench formats (below).
local FORMAT_OPTION = { name = "format", arg = "FMT", default = "text", help = "output format" }

local M = {
  summary = "measure the sandbox's cost: cold, pooled, parallel, against docker run --rm",
  usage = [[Usage: sandprobe bench [--runs N] [--parallel N] [--pool N] [--format text|json|html]

Runs the trivial program `pass` through `docker run --rm` (the baseline, via
the docker CLI), a cold sandbox.run, the cold path phase by phase (create,
start, attach/run, wait, logs, remove), and a warm pool of N containers;
then N parallel runs in worker threads (checking they are isolated) against
N parallel `docker run --rm`; then the execution overhead against the host's
`python3 -c` for the trivial program and a ~1 s one. Reports p50/p95/max and
the ratios to the baseline, and whether each target was met.

Exit status 0 when every run succeeded and nothing was left behind (targets
are reported, not enforced), 1 otherwise, 2 on usage errors.

--target/--target-like choose the sandbox measured; --runtime runc,runsc
measures everything once per runtime (the baseline on the same runtime) and
ends with a table of cold and pooled p50/p95 as ratios to that baseline.]],
  options = {
    { name = "runs", arg = "N", type = "integer", min = 1, default = 10, help = "runs per measurement" },
    { name = "parallel", arg = "N", type = "integer", min = 1, default = 5, help = "parallel runs" },
    { name = "pool", arg = "N", type = "integer", min = 1, default = 2, help = "warm pool size" },
    FORMAT_OPTION,
  },
}
target_options.add_to(M.options)

local function ms(s)
  if s == nil then return "-" end
  return ("%.1f ms"):format(s * 1000)
end

local function num(x, fmt)
  if x == nil then return "-" end
  return (fmt or "%.2f"):format(x)
end

local function line(out, label, s, extra)
  out:write(("  %-34s p50 %10s  p95 %10s  max %10s  (%d runs%s)%s\n"):format(label, ms(s.p50_s), ms(s.p95_s),
    ms(s.max_s), s.runs or 0, (s.errors or 0) > 0 and (", %d FAILED"):format(s.errors) or "", extra or ""))
end

local function write_text(r, out)
  out:write(("sandprobe bench: %d runs, image %s, pool %d\n\n"):format(r.runs, r.image, r.pool_size))
  out:write("Trivial program (pass), end to end:\n")
  line(out, "docker run --rm (baseline)", r.docker_run)
  line(out, "cold sandbox.run", r.cold, ("  x%s of baseline"):format(num(r.ratios.cold_vs_docker_run)))
  line(out, "pooled sandbox.run", r.pooled,
    ("  %sx faster than baseline"):format(num(r.ratios.pooled_speedup_vs_docker_run, "%.1f")))
  line(out, "pooled, back to back", r.pooled.back_to_back,
    ("  %.1f runs/s"):format(r.pooled.back_to_back.throughput_per_s))
  line(out, "pooled, run-time guard off", r.pooled_no_guard,
    ("  guard on/off x%s"):format(num(r.ratios.pooled_guard_vs_no_guard)))
  out:write("\nCold path by phase:\n")
  for _, phase in ipairs(bench.PHASES) do line(out, phase, r.cold.phases[phase]) end
  out:write("\nPooled path by phase (create and start were paid before):\n")
  for _, phase in ipairs({ "acquire", "attach", "remove" }) do line(out, phase, r.pooled.phases[phase]) end
  line(out, "refill left after a run", r.pooled.refill)
  out:write(("\nParallel: %d runs in %d threads, %s wall, %.2f runs/s (daemon alone: %.2f runs/s, ratio %s), isolated: %s\n")
    :format(r.parallel.runs, r.parallel.runs, ms(r.parallel.wall_s), r.parallel.throughput_per_s,
      r.parallel.daemon.throughput_per_s, num(r.ratios.parallel_throughput_vs_daemon), tostring(r.parallel.isolated)))
  line(out, "per-run latency", r.parallel)
  out:write("\nCleanup (container remove):\n")
  line(out, "remove", r.cleanup)
  out:write("\nExecution overhead against `python3 -c` on the host:\n")
  local o = r.overhead
  line(out, "host python3, pass", o.short.host_python)
  out:write(("    cold %s %%, pooled %s %%\n"):format(num(o.short.cold_pct, "%.0f"), num(o.short.pooled_pct, "%.0f")))
  line(out, "host python3, ~1 s", o.one_second.host_python)
  line(out, "cold, ~1 s", o.one_second.cold)
  line(out, "pooled, ~1 s", o.one_second.pooled)
  out:write(("    cold %s %%, pooled %s %%\n"):format(num(o.one_second.cold_pct, "%.1f"), num(o.one_second.pooled_pct, "%.1f")))
  out:write(("\nContainers left behind: %s\n\nTargets:\n"):format(tostring(r.orphans)))
  for _, t in ipairs(r.targets) do
    local value = type(t.value) == "number" and num(t.value) or tostring(t.value)
    out:write(("  [%s] %s: %s (target %s)\n"):format(t.met and "met" or "NOT met", t.name, value, t.target))
  end
end

local function write_json(r, out)
  out:write(json.encode(r), "\n")
end

local function write_html(r, out)
  out:write(require("sandprobe.report.html").render_bench(r))
end

FORMAT_OPTION.choices = reports.register_all("bench",
  { { "text", write_text }, { "json", write_json }, { "html", write_html } })

local function all_ran(r)
  local errors = r.docker_run.errors + r.cold.errors + r.cold.phases.errors + r.pooled.errors
    + r.pooled.back_to_back.errors + r.parallel.errors + r.pooled_no_guard.errors
    + r.overhead.one_second.pooled.errors + r.overhead.one_second.cold.errors
  return errors == 0 and r.orphans == 0
end

local function ratio(a, b)
  if not a or not b or b == 0 then return nil end
  return a / b
end

-- Cold and pooled p50/p95 per runtime, each as a ratio to `docker run --rm`
-- on the same runtime in the same run.
function M.runtime_ratios(r)
  local base = r.docker_run
  return {
    docker_run_p50_s = base.p50_s, docker_run_p95_s = base.p95_s,
    cold_p50_s = r.cold.p50_s, cold_p95_s = r.cold.p95_s,
    pooled_p50_s = r.pooled.p50_s, pooled_p95_s = r.pooled.p95_s,
    cold_p50_ratio = ratio(r.cold.p50_s, base.p50_s), cold_p95_ratio = ratio(r.cold.p95_s, base.p95_s),
    pooled_p50_ratio = ratio(r.pooled.p50_s, base.p50_s), pooled_p95_ratio = ratio(r.pooled.p95_s, base.p95_s),
  }
end

local function write_runtime_table(out, runtimes, by_runtime)
  out:write("\nPer runtime, against `docker run --rm` on the same runtime (ratio < 1: faster than it):\n")
  out:write(("  %-20s %-22s %-33s %-33s\n"):format("runtime", "docker run p50/p95", "cold p50/p95 (ratio)", "pooled p50/p95 (ratio)"))
  for _, rt in ipairs(runtimes) do
    local x = M.runtime_ratios(by_runtime[rt])
    out:write(("  %-20s %10s %10s %9s %9s (x%s/x%s) %9s %9s (x%s/x%s)\n"):format(rt,
      ms(x.docker_run_p50_s), ms(x.docker_run_p95_s), ms(x.cold_p50_s), ms(x.cold_p95_s),
      num(x.cold_p50_ratio), num(x.cold_p95_ratio), ms(x.pooled_p50_s), ms(x.pooled_p95_s),
      num(x.pooled_p50_ratio), num(x.pooled_p95_ratio)))
  end
end

function M.run(argv)
  local opts, positional = args.parse(argv, M.options)
  if #positional > 0 then args.usage_error("unexpected argument '" .. positional[1] .. "'") end
  local chosen = target_options.resolve(opts)
  if opts.format == "html" and #chosen.runtimes > 1 then
    args.usage_error("--format html shows one bench; give one --runtime (text and json compare several)")
  end
  -- Nothing to measure without a daemon: every figure would time failures.
  local reachable, why = require("docker").ping()
  if not reachable then
    io.stderr:write("sandprobe bench: ", tostring(why), "\n")
    return 2
  end
  require("sandprobe.startup").sweep_leftovers(io.stderr)
  local by_runtime, ok = {}, true
  local matrix = #chosen.runtimes > 1
  for _, rt in ipairs(chosen.runtimes) do
    local progress
    if opts.format == "text" then
      progress = function(step) io.stderr:write("bench [", rt, "]: ", step, "\n") end
    end
    target_options.use(chosen, rt)
    local r = bench.run { runs = opts.runs, parallel = opts.parallel, pool = opts.pool, progress = progress,
                          runtime = chosen.named and rt or nil }
    by_runtime[rt] = r
    ok = ok and all_ran(r)
    if opts.format == "text" and matrix then io.stdout:write(("\n== runtime %s\n"):format(rt)) end
    -- One runtime: the registered writer of the chosen format; several: the
    -- text of each, then the table (or one JSON object of them all).
    if opts.format == "text" or not matrix then reports.write("bench", opts.format, r, io.stdout) end
  end
  if matrix and opts.format == "json" then
    local ratios = {}
    for rt, r in pairs(by_runtime) do ratios[rt] = M.runtime_ratios(r) end
    io.stdout:write(json.encode({ runtimes = chosen.runtimes, results = by_runtime, ratios = ratios }), "\n")
  elseif matrix then
    write_runtime_table(io.stdout, chosen.runtimes, by_runtime)
  end
  return ok and 0 or 1
end

return M
