-- Measurements behind `sandprobe bench` (docs/pool-and-bench.md): the same
-- trivial program through `docker run --rm` (the baseline, via the docker
-- CLI: it is the thing compared against), a cold sandbox.run, the cold path
-- phase by phase, a warm pool, parallel runs in worker threads, and the
-- overhead against the program run directly by the host's python3.
--
-- Every figure is a wall-clock time measured here with core.monotonic();
-- nothing is estimated. A run that fails is counted in `errors`, and still
-- timed: a fast failure must not pass for a fast run unnoticed.
local core = require("sandprobe.core")
local docker = require("docker")
local json = require("json")
local pool = require("sandprobe.pool")
local sandbox = require("sandprobe.sandbox")

local M = {}

M.PROGRAMS = {
  -- The trivial program of every latency target.
  short = "pass\n",
  -- "About one second": a sleep, so the figure is the sandbox's cost, not
  -- how busy the two shared cores happen to be.
  one_second = "import time\ntime.sleep(1)\n",
}

-- Bench programs that import modules the default Layer 1 policy refuses
-- (time, os) run with validate=false; the trivial one is validated, as any
-- program is. The validator's own speed: `sandprobe validate --bench`.
local function validate_for(code)
  return code == M.PROGRAMS.short
end

-- ---- statistics ------------------------------------------------------------------

-- Nearest-rank percentile of a sorted list.
local function percentile(sorted, p)
  local rank = math.max(1, math.ceil(p * #sorted))
  return sorted[rank]
end

-- {runs, p50_s, p95_s, max_s, min_s, mean_s, samples_s} of a list of
-- seconds; samples_s (sorted) is what the HTML report charts.
function M.summary(samples)
  local sorted = table.move(samples, 1, #samples, 1, {})
  table.sort(sorted)
  local s = { runs = #sorted, samples_s = sorted }
  if #sorted == 0 then return s end
  local total = 0
  for _, v in ipairs(sorted) do total = total + v end
  s.p50_s, s.p95_s = percentile(sorted, 0.50), percentile(sorted, 0.95)
  s.min_s, s.max_s, s.mean_s = sorted[1], sorted[#sorted], total / #sorted
  return s
end

local function timed(fn, ...)
  local t0 = core.monotonic()
  local a, b = fn(...)
  return core.monotonic() - t0, a, b
end

-- ---- shell (the baseline and the host interpreter only) --------------------------

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- The docker CLI talks to the daemon sandprobe uses (--host, else DOCKER_HOST).
local function docker_cli()
  local host = core.setting("docker.host")
  return host and ("docker -H " .. shell_quote(host)) or "docker"
end

local function succeeded(ok, how, code)
  return ok == true and how == "exit" and code == 0
end

-- The baseline command, as a user would type it (on the runtime measured).
function M.docker_run_command(image, runtime)
  local on = runtime and (" --runtime " .. shell_quote(runtime)) or ""
  return ("%s run --rm --network none%s %s python3 -c pass"):format(docker_cli(), on, shell_quote(image))
end

-- No external command runs without a limit: a daemon that stops answering
-- would hang the docker CLI for ever. coreutils' timeout runs the command
-- in a process group of its own and kills the group at the limit (and the
-- engine's clean-up kills whatever is left on SIGINT/SIGTERM).
M.COMMAND_LIMIT_S = 120

local function limited(command)
  return ("timeout -k 5 %d %s"):format(M.COMMAND_LIMIT_S, command)
end

local function shell_runs(command, runs)
  local samples, errors = {}, 0
  for i = 1, runs do
    local ok, how, code
    samples[i], ok, how = timed(function()
      local a, b, c = os.execute(limited(command) .. " >/dev/null 2>&1")
      code = c
      return a, b
    end)
    if not succeeded(ok, how, code) then errors = errors + 1 end
  end
  local s = M.summary(samples)
  s.errors = errors
  return s
end

function M.docker_run(runs, image, runtime)
  local s = shell_runs(M.docker_run_command(image, runtime), runs)
  s.command = M.docker_run_command(image, runtime)
  return s
end

-- The host's interpreter: the system one when there is one (the image's
-- is Debian's too), not whatever `python3` a PATH finds first: a version
-- manager's shim script would add its own start-up to the baseline.
function M.host_python_path()
  if core.filetype("/usr/bin/python3") == "file" then return "/usr/bin/python3" end
  return "python3"
end

-- The program run directly in a fresh interpreter on the host.
function M.host_python(code, runs)
  local command = M.host_python_path() .. " -c " .. shell_quote(code)
  local s = shell_runs(command, runs)
  s.command = command
  return s
end

-- The daemon's own parallel rate: n `docker run --rm` at once, to compare
-- the sandbox's parallel throughput with.
function M.docker_run_parallel(n, image, runtime)
  local command = ("for i in $(seq %d); do %s >/dev/null 2>&1 & done; wait"):format(n,
    M.docker_run_command(image, runtime))
  local ok, how, code
  local wall = timed(function()
    ok, how, code = os.execute(limited("sh -c " .. shell_quote(command)))
  end)
  return { runs = n, wall_s = wall, throughput_per_s = n / wall,
           errors = succeeded(ok, how, code) and 0 or n }
end

-- ---- the sandbox ------------------------------------------------------------------

local function failed(r)
  return r.error ~= nil or r.exit_code ~= 0
end

local function sandbox_runs(runs, code, run)
  local samples, results, errors = {}, {}, 0
  for i = 1, runs do
    samples[i], results[i] = timed(run, { code = code, validate = validate_for(code) })
    if failed(results[i]) then errors = errors + 1 end
  end
  local s = M.summary(samples)
  s.errors = errors
  return s, results
end

-- sandbox.run end to end, a new container each time.
function M.cold(runs, code)
  return sandbox_runs(runs, code, sandbox.run)
end

-- The cold path taken apart, each phase timed on its own, with the
-- sandbox's container configuration: create, start (PID 1 the loader, which
-- waits for stdin so nothing is missed by attaching after), attach (send the
-- program, read its output until the stream ends), wait, logs, remove.
M.PHASES = { "create", "start", "attach", "wait", "logs", "remove" }

local function one_cold_phased(spec, code, times)
  local container, err
  times.create, container, err = timed(docker.create, spec)
  if not container then return false, "create: " .. tostring(err) end
  local ok = true
  local steps = {
    { "start", function() return container:start() end },
    -- The loader's stdin: a nonce line, then the program. No stop marker:
    -- this phase reads until the daemon ends the stream (its exit handling).
    { "attach", function() return container:attach("0\n" .. code, { start = false, timeout = 30 }) end },
    { "wait", function() return container:wait(30) end },
    { "logs", function() return container:logs() end },
    { "remove", function() return container:remove() end },
  }
  for _, step in ipairs(steps) do
    local answer, why
    times[step[1]], answer, why = timed(step[2])
    if not answer then
      ok, err = false, step[1] .. ": " .. tostring(why)
      break
    end
  end
  container:remove()
  return ok, err
end

function M.cold_phases(runs, code)
  -- The phases include reading the daemon's log, which the sandbox's own
  -- log driver ("none") does not keep.
  local spec = sandbox.container_spec(sandbox.normalize_options { log_driver = "json-file" })
  local samples, errors, last_error = {}, 0, nil
  for _, phase in ipairs(M.PHASES) do samples[phase] = {} end
  for _ = 1, runs do
    local times = {}
    local ok, err = one_cold_phased(spec, code, times)
    if not ok then errors, last_error = errors + 1, err end
    for phase, t in pairs(times) do table.insert(samples[phase], t) end
  end
  local out = { errors = errors, last_error = last_error }
  for _, phase in ipairs(M.PHASES) do out[phase] = M.summary(samples[phase]) end
  return out
end

-- The pooled path. Warm: p:run per program, timed, then p:wait() for the
-- replacement the run launched in the background (timed apart, `refill`:
-- what is left of its start once the run is over), so every run finds a
-- warm container, as requests with gaps between them do. Back to back
-- (optional): the same runs with no gap, the replacement starting while the
-- next program runs; its throughput is what one thread sustains.
local function pooled_runs(p, runs, code, on_result, guard)
  local samples, errors = {}, 0
  for i = 1, runs do
    local r
    samples[i], r = timed(p.run, p, { code = code, validate = validate_for(code), guard = guard })
    if failed(r) then errors = errors + 1 end
    if on_result then on_result(r, i) end
  end
  local s = M.summary(samples)
  s.errors = errors
  return s
end

-- guard: false to measure without the run-time guard (default on).
function M.pooled(runs, code, size, back_to_back, guard)
  local p <close> = pool.new { size = size, guard = guard }
  local refills, phases = {}, { acquire = {}, attach = {}, remove = {} }
  local s = pooled_runs(p, runs, code, function(r, i)
    for phase, list in pairs(phases) do list[#list + 1] = r.durations[phase] end
    refills[i] = timed(p.wait, p)
  end, guard)
  s.pool_size = size
  s.refill = M.summary(refills)
  s.phases = {}
  for phase, list in pairs(phases) do s.phases[phase] = M.summary(list) end
  s.stats = p:stats()
  if back_to_back then
    local b2b
    local wall = timed(function() b2b = pooled_runs(p, runs, code) end)
    b2b.wall_s, b2b.throughput_per_s = wall, runs / wall
    b2b.stats = p:stats()
    s.back_to_back = b2b
  end
  s.drain_s = timed(p.drain, p)
  return s
end

-- Parallel runs, each a cold sandbox.run in a worker thread of its own. Each
-- program leaves a mark in its /tmp and lists /tmp after a pause: isolated
-- when every run saw its own mark and nobody else's.
local function isolation_program(i)
  return ("import os, time\nopen('/tmp/mark-%d', 'w').write('%d')\ntime.sleep(0.3)\n"
    .. "print(','.join(sorted(n for n in os.listdir('/tmp') if n.startswith('mark-'))))\n"):format(i, i)
end

function M.parallel(n)
  local tasks = {}
  for i = 1, n do
    -- A trusted probe of the container's isolation (it lists /tmp): both
    -- parts of Layer 1 off.
    tasks[i] = json.encode { module = "sandprobe.bench_task", code = isolation_program(i), validate = false, guard = false }
  end
  local samples, isolated, errors, last_error = {}, true, 0, nil
  local wall = timed(core.run_workers, n, tasks, function(i, text, err)
    local r = text and json.decode(text)
    if not r or r.error or r.exit_code ~= 0 then
      errors = errors + 1
      last_error = err or (r and tostring(r.error)) or "no result"
    end
    if r then samples[#samples + 1] = r.duration_s end
    if not r or r.stdout ~= ("mark-%d\n"):format(i) then isolated = false end
  end)
  local s = M.summary(samples)
  s.errors, s.last_error, s.isolated = errors, last_error, isolated
  s.wall_s, s.throughput_per_s = wall, n / wall
  return s
end

-- Containers of this run the daemon still knows about.
function M.orphans()
  local list, err = docker.list { labels = { ["sandprobe.run"] = docker.run_id() } }
  if not list then return nil, err end
  return #list
end

-- ---- the whole bench ------------------------------------------------------------

local function pct_over(x, base)
  if not (x and base and base > 0) then return nil end
  return (x - base) / base * 100
end

local function ratio(a, b)
  if not (a and b and b > 0) then return nil end
  return a / b
end

local function target(name, goal, value, met)
  return { name = name, target = goal, value = value, met = met and true or false }
end

-- A figure computed from runs of which any failed measures the failures: it
-- is nil (and its target not met) unless every summary ran clean.
local function clean(value, ...)
  for _, summary in ipairs({ ... }) do
    if not summary or (summary.errors or 0) > 0 then return nil end
  end
  return value
end

function M.targets(r)
  local t = {}
  local speedup = clean(r.ratios.pooled_speedup_vs_docker_run, r.docker_run, r.pooled)
  t[#t + 1] = target("pooled p50 (trivial program) at least 10x faster than docker run --rm",
    ">= 10", speedup, speedup and speedup >= 10)
  local cold = clean(r.ratios.cold_vs_docker_run, r.docker_run, r.cold)
  t[#t + 1] = target("cold path no slower than docker run --rm (p50 ratio)", "<= 1", cold, cold and cold <= 1)
  local oh = clean(r.overhead.one_second.pooled_pct, r.overhead.one_second.pooled, r.overhead.one_second.host_python)
  t[#t + 1] = target("overhead of a ~1 s program with the pool", "< 5 %", oh, oh and oh < 5)
  local par = r.parallel
  t[#t + 1] = target(("%d parallel runs complete and are isolated"):format(par.runs), "all ok, isolated",
    par.errors == 0 and par.isolated, par.errors == 0 and par.isolated)
  local tp = clean(r.ratios.parallel_throughput_vs_daemon, r.parallel, r.parallel.daemon)
  t[#t + 1] = target("parallel throughput within 20 % of the daemon's", ">= 0.8", tp, tp and tp >= 0.8)
  t[#t + 1] = target("no containers left behind", "0", r.orphans, r.orphans == 0)
  return t
end

-- Runs everything: {runs, parallel, pool, runtime} (the sandbox is the
-- active target's; runtime, when named, is its runtime and the baseline's). `progress(text)` (optional)
-- hears about each step as it starts.
function M.run(opts)
  local runs, n, size = opts.runs or 10, opts.parallel or 5, opts.pool or 2
  local image, runtime = sandbox.normalize_options {}.image, opts.runtime
  local say = opts.progress or function() end
  local r = { runs = runs, image = image, pool_size = size, runtime = runtime }
  say("docker run --rm baseline"); r.docker_run = M.docker_run(runs, image, runtime)
  say("cold sandbox.run"); r.cold = M.cold(runs, M.PROGRAMS.short)
  say("cold path by phase"); r.cold.phases = M.cold_phases(runs, M.PROGRAMS.short)
  say("pooled"); r.pooled = M.pooled(runs, M.PROGRAMS.short, size, true)
  say("parallel"); r.parallel = M.parallel(n)
  say("daemon parallel baseline"); r.parallel.daemon = M.docker_run_parallel(n, image, runtime)
  r.cleanup = r.cold.phases.remove
  say("host python3"); local host_short = M.host_python(M.PROGRAMS.short, runs)
  local host_long = M.host_python(M.PROGRAMS.one_second, runs)
  say("~1 s program, pooled"); local pooled_long = M.pooled(runs, M.PROGRAMS.one_second, size)
  say("~1 s program, cold"); local cold_long = M.cold(runs, M.PROGRAMS.one_second)
  -- The run-time guard's cost on a pooled run: the same trivial program
  -- through a pool whose containers run without it.
  say("pooled, guard off"); r.pooled_no_guard = M.pooled(runs, M.PROGRAMS.short, size, false, false)
  r.overhead = {
    short = { host_python = host_short,
              cold_pct = pct_over(r.cold.p50_s, host_short.p50_s),
              pooled_pct = pct_over(r.pooled.p50_s, host_short.p50_s) },
    one_second = { host_python = host_long, cold = cold_long, pooled = pooled_long,
                   cold_pct = pct_over(cold_long.p50_s, host_long.p50_s),
                   pooled_pct = pct_over(pooled_long.p50_s, host_long.p50_s) },
  }
  r.ratios = {
    cold_vs_docker_run = ratio(r.cold.p50_s, r.docker_run.p50_s),
    pooled_speedup_vs_docker_run = ratio(r.docker_run.p50_s, r.pooled.p50_s),
    pooled_back_to_back_speedup_vs_docker_run = ratio(r.docker_run.p50_s, r.pooled.back_to_back.p50_s),
    pooled_back_to_back_throughput_vs_cold = ratio(r.pooled.back_to_back.throughput_per_s, 1 / r.cold.mean_s),
    parallel_p50_vs_docker_run = ratio(r.parallel.p50_s, r.docker_run.p50_s),
    parallel_throughput_vs_daemon = ratio(r.parallel.throughput_per_s, r.parallel.daemon.throughput_per_s),
    pooled_guard_vs_no_guard = ratio(r.pooled.p50_s, r.pooled_no_guard.p50_s),
  }
  collectgarbage("collect")
  r.orphans = M.orphans()
  r.targets = M.targets(r)
  return r
end

return M
