-- The five-layer sandbox for untrusted Python (docs/sandbox.md).
--
--   local sandbox = require("sandprobe.sandbox")
--   local r = sandbox.run { code = "print(6 * 7)", timeout = 5 }
--   -- r.exit_code, r.stdout, r.stderr, r.truncated, r.oom_killed, r.timed_out, ...
--
-- Layer 1 the static validator (nothing reaches the daemon when it refuses),
-- Layer 2 no network, Layer 3 a read-only root with a noexec /tmp, Layer 4
-- the hardened seccomp profile, Layer 5 memory/swap/pids/CPU limits; plus
-- cap-drop ALL, no-new-privileges, a non-root user and a wall-clock limit.
--
-- The code never travels in argv (no quoting, no 128 KiB argv limit): PID 1
-- is `python3 -c LOADER`, the loader reads the program from stdin, and the
-- engine writes it byte for byte over the attach stream, which starts the
-- container only once attached so no output is missed.
--
-- The pieces a warm pool reuses are public and stable: normalize_options,
-- container_spec, LOADER, MARKER, check_code, attach, finish,
-- announced_status, remove, retire, record.
--
-- The loader announces the program's end and exit status itself (a marker
-- with a per-run nonce on both streams), so a run need not wait for the
-- daemon's exit handling; without the marker the daemon is asked, as
-- before (docs/sandbox.md, "The end of a program").
--
-- Over 600 lines, knowingly for now: options, spec, attach and finish are
-- one pipeline the pool reuses piece by piece. The engine detection (gVisor,
-- Podman, the profile hand-over) is the next cut into a module of its own.
local diversity = require("diversity")
local docker = require("docker")
local json = require("json")
local metrics = require("metrics")
local monitor = require("monitor")
local core = require("sandprobe.core")
local target = require("sandprobe.target")
local validator = require("sandprobe.validator")
local runtime_guard = require("sandprobe.runtime_guard")
local reaper = require("reaper")

local M = {}

-- stdin is one line with the run's nonce, then the program; the program
-- runs as the module __main__ (so `if __name__ == "__main__":` holds) under
-- the file name "<strategy>", which tracebacks and SyntaxErrors then name.
-- Line 5 stays the exec, as tracebacks show it ('File "<string>", line 5').
--
-- Once the program is over (after its own atexit handlers, which run first,
-- and after Python has joined its threads; `over` keeps a program calling the
-- handlers early from running it), `done` does what the
-- interpreter's shutdown would (clears the program's module as
-- _PyModule_ClearDict does, collects garbage, so finalizers print now),
-- flushes, and announces the exit status on both streams:
-- MARKER .. nonce .. ":" .. status .. "\n". Any failure there (a closed
-- stream, a flush that fails and would make Python exit 120) writes no
-- marker, and the engine asks the daemon as before (docs/sandbox.md).
--
-- The loader's end, defined before the program runs and holding the modules
-- it needs as its own defaults: the loader's globals then hold no module
-- once the program starts (a frame of the program leads by f_back to the
-- loader's frame and its globals; with the run-time guard off or broken,
-- a real os there would be the whole process). Reading a function's
-- defaults raises an audit event the guard refuses.
local LOADER_DONE = table.concat({
  "def done(gc=gc, os=os, sys=sys):",
  "    try:",
  "        d = m.__dict__",
  "        for k in [k for k in d if k[:1] == '_' and k[1:2] != '_']: d[k] = None",
  "        for k in [k for k in d if k != '__builtins__']: d[k] = None",
  "        gc.collect()",
  "        sys.stdout.flush(); sys.stderr.flush()",
  "        mark = b'\\0sandprobe-done:' + nonce + b':' + str(status).encode() + b'\\n'",
  "        os.write(1, mark); os.write(2, mark)",
  "    except BaseException:",
  "        pass",
  "    if guard: os._exit(status)",
}, "\n")

-- text as a Python string literal (single-quoted, one line).
local function python_literal(text)
  return "'" .. text:gsub("\\", "\\\\"):gsub("'", "\\'"):gsub("\n", "\\n") .. "'"
end

M.LOADER = table.concat({
  "import atexit, gc, os, sys, types",
  "m = types.ModuleType('__main__'); sys.modules['__main__'] = m; sys.argv[:] = ['<strategy>']; over = False; guard = os.environ.pop('SANDPROBE_GUARD', ''); mods = os.environ.pop('SANDPROBE_GUARD_MODULES', '').split(','); arm = [(lambda c, n, s: c) if not guard else (lambda g: (exec(guard, g), g.pop('prepare')(mods, " .. runtime_guard.STATUS .. "))[1])({'__builtins__': dict(vars(__builtins__))})]",
  "nonce, _, src = sys.stdin.buffer.read().partition(b'\\n'); status = 0; atexit.register(lambda: over and done()); exec(" .. python_literal(LOADER_DONE) .. "); del atexit, gc, os, sys, types",
  "try:",
  "    exec(arm.pop()(compile(src, '<strategy>', 'exec'), nonce, lambda: status), m.__dict__)",
  "except SystemExit as e:",
  "    c = e.code",
  "    status = (1 if not isinstance(c, int) else c & 255 if -2**63 <= c < 2**63 else 255) if c is not None else 0",
  "    raise",
  "except BaseException:",
  "    status = 1",
  "    raise",
  "finally:",
  "    over = True",
}, "\n")

-- What the loader writes before "<nonce>:<status>\n" when the program is over.
-- The NUL byte occurs nowhere else in it (what the engine's matcher needs).
M.MARKER = "\0sandprobe-done:"

-- What a run needs beyond the sandbox itself; every key may be overridden.
local RUN_DEFAULTS = {
  working_dir = "/tmp",
  timeout = 10,               -- seconds of wall clock from start; then the container is killed
  max_output = 1024 * 1024,   -- bytes kept per stream
  validate = true,
  guard = true,               -- Layer 1 at run time: the audit hook of sandprobe.runtime_guard
  labels = {},
  policy = nil,               -- validator policy table (nil: the default policy)
}

local function with_run_defaults(sandbox_options)
  local d = {}
  for k, v in pairs(RUN_DEFAULTS) do d[k] = v end
  for k, v in pairs(sandbox_options) do d[k] = v end
  return d
end

-- Hardened defaults: the built-in target (lua/sandprobe/targets/default.lua)
-- plus the run's own; every key may be overridden (docker CLI names, '-' as
-- '_'). `seccomp` is "hardened" | "unconfined" | "default" | a path | a
-- profile | JSON text; memory_swap nil means the same as memory (no swap).
M.DEFAULTS = with_run_defaults(target.sandbox_options(target.default()))
M.DEFAULT_IMAGE = M.DEFAULTS.image

-- The defaults sandbox.run uses now: the active target's (`--target`, set
-- for every Lua state of the process through target.SETTING), else the
-- built-in ones. Scenarios override only what they test.
local active_text, active_defaults
function M.defaults()
  local text = core.setting(target.SETTING)
  if text == nil then return M.DEFAULTS end
  if text ~= active_text then
    active_defaults, active_text = with_run_defaults(json.decode(text)), text
  end
  return active_defaults
end

-- Environment every sandboxed program gets (the caller's env is added on top).
local BASE_ENV = { LANG = "C.UTF-8", PYTHONUNBUFFERED = "1", PYTHONDONTWRITEBYTECODE = "1", HOME = "/tmp" }

-- How long to wait for a container to stop once killed, and the slack the
-- evidence queries allow around the run.
local KILL_WAIT_S = 10
local MIN_WAIT_S = 0.1
local LOGS_AFTER_KILL_S = 0.5

-- The resource monitor's sampling interval (lua/sandprobe/sampling.lua).
M.MONITOR_INTERVAL_S = require("sandprobe.sampling").MONITOR_INTERVAL_S
local EVENT_SLACK_S = 1

local function copy_list(t)
  local c = {}
  for i, v in ipairs(t or {}) do c[i] = v end
  return c
end

local function copy_map(t)
  local c = {}
  for k, v in pairs(t or {}) do c[k] = v end
  return c
end

-- Accepts "a" or {"a", "b"}: the CLI gives repeatable options as lists.
local function as_list(value, name)
  if value == nil then return {} end
  if type(value) == "string" then return { value } end
  if type(value) ~= "table" then error(("sandbox: %s must be a string or a list"):format(name), 3) end
  return copy_list(value)
end

-- "seccomp=X" entries of security_opt select the profile, as with docker.
local function split_security_opt(list, seccomp)
  local rest = {}
  for _, entry in ipairs(list) do
    local value = entry:match("^seccomp[=:](.*)$")
    if value then seccomp = value else rest[#rest + 1] = entry end
  end
  return rest, seccomp
end

local function check_type(o, key, want)
  if o[key] ~= nil and type(o[key]) ~= want then
    error(("sandbox: option '%s' must be a %s, not %s"):format(key, want, type(o[key])), 3)
  end
end

-- The policy's modules and the ones their APIs import on first use, sorted.
local function guard_modules(policy)
  local names = {}
  for name in pairs((policy or validator.default_policy()).modules or {}) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(runtime_guard.PRELOAD) do names[#names + 1] = name end
  return table.concat(names, ",")
end

local KNOWN = {}
for k in pairs(M.DEFAULTS) do KNOWN[k] = true end
for _, k in ipairs({ "image", "memory_swap", "runtime", "ipc", "log_driver", "code", "policy", "pool",
                      "guard_modules" }) do KNOWN[k] = true end

-- The options with defaults filled in, checked and in canonical form. Raises
-- on misuse (unknown option, wrong type); never touches the daemon.
function M.normalize_options(opts)
  opts = opts or {}
  if type(opts) ~= "table" then error("sandbox: options must be a table", 2) end
  for k in pairs(opts) do
    local key = type(k) == "string" and k:gsub("%-", "_") or k
    if not KNOWN[key] then error(("sandbox: unknown option '%s'"):format(tostring(k)), 2) end
  end
  local o = {}
  for k, v in pairs(M.defaults()) do o[k] = v end
  for k, v in pairs(opts) do o[(k:gsub("%-", "_"))] = v end
  for _, key in ipairs({ "image", "network", "user", "working_dir", "runtime", "ipc", "log_driver" }) do
    check_type(o, key, "string")
  end
  for _, key in ipairs({ "timeout", "max_output", "pids_limit", "cpus" }) do check_type(o, key, "number") end
  check_type(o, "python", "table")
  o.python = copy_list(o.python)
  o.tmpfs = as_list(o.tmpfs, "tmpfs")
  o.cap_drop = as_list(o.cap_drop, "cap_drop")
  o.cap_add = as_list(o.cap_add, "cap_add")
  o.ulimits = as_list(o.ulimits, "ulimits")
  o.masked_paths = o.masked_paths ~= nil and as_list(o.masked_paths, "masked_paths") or nil
  o.security_opt, o.seccomp = split_security_opt(as_list(o.security_opt, "security_opt"), o.seccomp)
  o.memory_swap = o.memory_swap or o.memory
  o.env, o.labels = copy_map(o.env), copy_map(o.labels)
  o.read_only = o.read_only and true or false
  o.validate = o.validate and true or false
  o.guard = o.guard and true or false
  -- The modules the guard imports before the program (container-shaping:
  -- a pooled container serves only runs with the same list).
  o.guard_modules = o.guard and guard_modules(o.policy) or nil
  if o.timeout <= 0 then error("sandbox: timeout must be positive", 2) end
  if o.max_output < 0 then error("sandbox: max_output must not be negative", 2) end
  o.code = nil
  return o
end

-- Whether the daemon runs `runtime` with gVisor (its path is runsc), asked
-- once per runtime and Lua state; false when the daemon cannot be asked.
local gvisor_runtimes = {}
function M.runtime_is_gvisor(runtime)
  if runtime == nil then return false end
  if gvisor_runtimes[runtime] == nil then
    local info = docker.info()
    local entry = info and type(info.Runtimes) == "table" and info.Runtimes[runtime]
    gvisor_runtimes[runtime] = type(entry) == "table" and tostring(entry.path):match("runsc$") ~= nil
  end
  return gvisor_runtimes[runtime]
end

-- Whether the engine is Podman (its Docker-compatible API), asked once per
-- Lua state; false while the engine cannot be asked.
local podman_engine
function M.engine_is_podman()
  if podman_engine == nil then
    local v = docker.version()
    if not v then return false end
    podman_engine = false
    for _, c in ipairs(type(v.Components) == "table" and v.Components or {}) do
      if c.Name == "Podman Engine" then podman_engine = true end
    end
  end
  return podman_engine
end

-- Profile files written for Podman in this Lua state, removed when it closes.
local profile_files = setmetatable({}, { __gc = function(files)
  for _, path in pairs(files) do os.remove(path) end
end })

-- Podman's Docker-compatible API reads "seccomp=X" as a file on the
-- engine's host, where the docker CLI sends the profile itself. For Podman
-- the profile goes to a file of this process (a random name: nobody can
-- plant one in its place), which works when the engine runs on this host.
local function profile_file(text)
  if profile_files[text] then return profile_files[text] end
  local path = ("%s/sandprobe-seccomp-%d-%s.json"):format(os.getenv("TMPDIR") or "/tmp", core.pid(), core.random_hex(16))
  local f, err = io.open(path, "wb")
  if not f then error(("sandbox: cannot write the seccomp profile for Podman: %s"):format(err), 0) end
  f:write(text)
  f:close()
  profile_files[text] = path
  return path
end

-- The SecurityOpt entry that hands profile JSON text to this engine.
function M.seccomp_entry(text)
  if M.engine_is_podman() then return "seccomp=" .. profile_file(text) end
  return "seccomp=" .. text
end
local seccomp_entry = M.seccomp_entry

-- The SecurityOpt "seccomp=..." entry (nil: the daemon's default profile).
local function seccomp_option(choice, runtime)
  if choice == "hardened" then
    local profile <close> = require("sandprobe.profiles.hardened") { gvisor = M.runtime_is_gvisor(runtime) }
    return seccomp_entry(profile:to_json())
  elseif choice == "unconfined" then
    return "seccomp=unconfined"
  elseif choice == "default" then
    return nil
  elseif type(choice) == "userdata" then
    return seccomp_entry(choice:to_json())
  elseif type(choice) == "string" and choice:match("^%s*{") then
    return seccomp_entry(choice)
  elseif type(choice) == "string" then
    -- A path, as `--security-opt seccomp=FILE`: loaded (so a broken profile
    -- is reported here, with its field path) and sent inline.
    local profile, err = require("seccomp").load(choice)
    if not profile then error(("sandbox: seccomp profile %s: %s"):format(choice, err), 0) end
    local text = profile:to_json()
    profile:close()
    return seccomp_entry(text)
  end
  error("sandbox: seccomp must be 'hardened', 'unconfined', 'default', a path, JSON text or a profile", 0)
end

-- Docker mounts a writable mqueue file system on /dev/mqueue whatever the
-- IPC mode; an empty read-only tmpfs covers it unless the caller mounts
-- something there.
local MQUEUE_COVER = "ro,nosuid,nodev,noexec,size=4k"

-- The user value (a target's `user`, --user) that asks for a fresh uid per
-- container: not a name useradd accepts, so no image user is meant by it.
-- Per-uid kernel counters (RLIMIT_SIGPENDING, pipe-user-pages,
-- unix_inflight, inotify and epoll quotas) are shared by every process of a
-- uid across the host, so each container runs as a uid of its own: random
-- in [2^30, 2^31 - 2], far above host users and the usual subordinate-uid
-- ranges, group the same number. HOME is /tmp (BASE_ENV); the /tmp tmpfs
-- is mode 1777, writable by any uid.
M.FRESH_USER = "@fresh"
local FRESH_UID_MIN, FRESH_UID_SPAN = 1 << 30, (1 << 30) - 1

local function random_u32()
  local f = io.open("/dev/urandom", "rb")
  local bytes = f and f:read(4)
  if f then f:close() end
  if bytes and #bytes == 4 then return (string.unpack("<I4", bytes)) end
  return math.random(0, 0xffffffff)
end

function M.fresh_user()
  local uid = FRESH_UID_MIN + random_u32() % FRESH_UID_SPAN
  return ("%d:%d"):format(uid, uid)
end

local function tmpfs_map(list)
  local map = {}
  for _, entry in ipairs(list) do
    local path, mount_options = entry:match("^([^:]+):?(.*)$")
    map[path] = mount_options
  end
  map["/dev/mqueue"] = map["/dev/mqueue"] or MQUEUE_COVER
  return map
end

-- {"core=0:0"} -> Docker's Ulimits {{Name = "core", Soft = 0, Hard = 0}}.
local function ulimit_list(list)
  local out = {}
  for _, entry in ipairs(list) do
    local name, soft, hard = tostring(entry):match("^(%a+)=(%-?%d+):?(%-?%d*)$")
    if not name then error(("sandbox: ulimit '%s' is not NAME=SOFT[:HARD]"):format(tostring(entry)), 0) end
    out[#out + 1] = { Name = name, Soft = tonumber(soft), Hard = tonumber(hard ~= "" and hard or soft) }
  end
  return out
end

local function list_or_empty(t)
  if #t == 0 then return json.array() end
  return t
end

-- The docker.create spec for normalized options o: one container that runs
-- the loader as PID 1 with stdin open for exactly one program.
function M.container_spec(o)
  local env = copy_map(BASE_ENV)
  for k, v in pairs(o.env) do env[k] = v end
  if o.guard then
    env.SANDPROBE_GUARD, env.SANDPROBE_GUARD_MODULES = runtime_guard.SOURCE, o.guard_modules
  end
  local labels = copy_map(o.labels)
  labels["sandprobe.role"] = "sandbox"
  local security_opt = copy_list(o.security_opt)
  security_opt[#security_opt + 1] = seccomp_option(o.seccomp, o.runtime)
  return {
    image = o.image,
    cmd = table.move({ "-c", M.LOADER }, 1, 2, #o.python + 1, copy_list(o.python)),
    user = o.user == M.FRESH_USER and M.fresh_user() or o.user,
    working_dir = o.working_dir,
    env = env,
    labels = labels,
    stdin = true,                       -- OpenStdin + StdinOnce: EOF after the program
    stop_timeout = 1,
    NetworkDisabled = o.network == "none" or nil,
    host_config = {
      NetworkMode = o.network,
      ReadonlyRootfs = o.read_only,
      Tmpfs = tmpfs_map(o.tmpfs),
      Memory = o.memory,
      MemorySwap = o.memory_swap,
      PidsLimit = o.pids_limit,
      NanoCpus = math.floor(o.cpus * 1e9 + 0.5),
      CapDrop = list_or_empty(o.cap_drop),
      CapAdd = list_or_empty(o.cap_add),
      SecurityOpt = list_or_empty(security_opt),
      Runtime = o.runtime,
      IpcMode = o.ipc,
      MaskedPaths = o.masked_paths and list_or_empty(o.masked_paths),
      Ulimits = list_or_empty(ulimit_list(o.ulimits)),
      LogConfig = o.log_driver and { Type = o.log_driver },
    },
  }
end

-- ---- metrics ------------------------------------------------------------------

local function family(name)
  return metrics.catalogue()[name]
end

local function observe(name, seconds)
  if seconds then family(name):observe(seconds) end
end

-- ---- results --------------------------------------------------------------------

local function new_result(o)
  return {
    exit_code = nil, stdout = "", stderr = "",
    truncated = { stdout = false, stderr = false },
    oom_killed = false, oom_evidence = json.array(), timed_out = false, output_flooded = false,
    rejected = false, findings = json.array(), container_id = nil, error = nil,
    image = o.image, durations = {}, guard = o.guard,
    started_at = core.now(),
  }
end

-- Layer 1. A rejected result, or nil when the code may run; second, the
-- program's diversity fingerprint from the validator's own lexer run (nil
-- when validation is off).
function M.check_code(code, o, result)
  if not o.validate then
    result.validated = false
    return nil
  end
  local t0 = core.monotonic()
  local v = validator.check(code, o.policy, { fingerprint = true })
  result.durations.validate = core.monotonic() - t0
  result.validated = true
  if v.accepted then return nil, v.fingerprint end
  result.rejected = true
  result.findings = json.array(v.findings)
  return result, v.fingerprint
end

-- Seconds since the epoch from an RFC 3339 time of the daemon
-- ("2026-11-27T18:36:06.123456789Z"); nil for Docker's zero time.
function M.parse_time(text)
  local y, mo, d, h, mi, s, frac = tostring(text):match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)(%.?%d*)Z$")
  if not y or tonumber(y) < 1971 then return nil end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  -- Days from the civil date (proleptic Gregorian), independent of the local zone.
  if mo <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * (mo + (mo > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  local days = era * 146097 + doe - 719468
  return days * 86400 + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s) + (tonumber(frac ~= "" and frac or "0") or 0)
end

local function nonnegative(x)
  if x == nil then return nil end
  return x < 0 and 0 or x
end

-- The three witnesses of an OOM kill: the daemon's State.OOMKilled, its `oom`
-- event, and the cgroup's own counter as the monitor last saw it (the cgroup
-- is gone soon after the container exits, so it is sampled while it runs).
-- `ask_daemon` false: the program announced a normal end, no event to ask for.
local function oom_evidence(container, state, since, ask_daemon)
  local evidence = {}
  if state and state.OOMKilled then evidence[#evidence + 1] = "daemon.State.OOMKilled" end
  local events = ask_daemon and docker.events {
    since = since - EVENT_SLACK_S, ["until"] = core.now(),
    filters = { type = { "container" }, event = { "oom" }, container = { container:id() } },
  }
  if events and #events > 0 then evidence[#evidence + 1] = "daemon.event.oom" end
  local latest = monitor.running() and monitor.latest()
  local sample = latest and latest.containers and latest.containers[container:id()]
  if sample and (sample.oom_kills or 0) > 0 then
    evidence[#evidence + 1] = "cgroup.oom_kill=" .. sample.oom_kills
  end
  return evidence, sample
end

-- The cgroup figures of a run's evidence. A cgroup sampled in the moment
-- between its creation and the runtime writing the limits shows none
-- ("max"): that reading says nothing about the limits this run asked for,
-- so the evidence says it could not read them rather than show it.
M.LIMIT_NOT_READ = "not read: the cgroup was sampled before its limits applied"

function M.cgroup_evidence(sample, o)
  local function applied(value, requested)
    if requested ~= nil and (value == nil or value == "max") then return M.LIMIT_NOT_READ end
    return value
  end
  return { memory_peak_bytes = sample.memory_peak_bytes, oom_kills = sample.oom_kills,
           memory_limit_bytes = applied(sample.memory_limit_bytes, o.memory),
           pids_max = applied(sample.pids_max, o.pids_limit) }
end

-- Watches the container's cgroup while it runs (starting the shared monitor
-- when nobody has yet). Tracked before it starts: the monitor keeps trying
-- to locate the cgroup each cycle until it appears.
local function watch(container)
  if not monitor.running() then monitor.start { interval = M.MONITOR_INTERVAL_S } end
  monitor.track(container:id())
end

local function unwatch(container)
  if monitor.running() then monitor.untrack(container:id()) end
end

-- The sandbox failures of this state since the last M.take_failures(), so
-- a scenario's evidence can name the daemon's error whatever the scenario
-- did with the result (the runner's worker takes them after each one).
local recent_failures = {}
local RECENT_FAILURES_MAX = 5

local function sandbox_failure(result, message)
  result.error = message
  result.exit_code = nil
  if #recent_failures < RECENT_FAILURES_MAX then recent_failures[#recent_failures + 1] = message end
  return result
end

function M.take_failures()
  local taken = recent_failures
  recent_failures = {}
  return taken
end

-- Output past this many bytes (both streams) is a flood: the attach stops
-- reading and the container is killed (outcome "flood"). Every byte the
-- client reads costs dockerd, containerd and the shim CPU outside the
-- container's cgroup; max_output bounds only what is kept.
function M.flood_bytes(o)
  return math.max(16 * o.max_output, 16 * 1024 * 1024)
end

-- Attaches to a created (not started) container, starts it, sends a fresh
-- nonce and the code as stdin and collects output until the loader announces
-- the end (MARKER with that nonce on both streams), the stream ends, or the
-- time limit passes. `running`: the container is already running (a warm
-- pool's), do not start. Returns the attach output table (with stop_marker),
-- or nil, message, and the output that came before the failure.
function M.attach(container, code, o, result, running)
  -- The deadline holds without this process: a keeper of its own kills the
  -- container past it even if this one is SIGKILLed (sandprobe/reaper.h).
  local kept, kerr = reaper.watch(container:id(), o.timeout)
  if not kept then return nil, kerr end
  watch(container)
  local nonce = core.random_hex(16)
  local marker = M.MARKER .. nonce .. ":"
  result.attach_began = core.now()
  local t0 = core.monotonic()
  local out, err, _, partial = container:attach(nonce .. "\n" .. code, {
    start = not running, timeout = o.timeout, max_bytes = o.max_output, stop_marker = marker,
    flood_bytes = M.flood_bytes(o) })
  result.durations.attach = core.monotonic() - t0
  if out then out.stop_marker = marker end
  if partial then partial.stop_marker = marker end
  return out, err, partial
end

-- The exit status the loader announced, or nil: no announcement on both
-- streams, not one status from 0 to 255, or output after a marker (then the
-- daemon is asked and the output taken from its log).
function M.announced_status(output)
  local text = output.stopped and output.stderr_trailer
  if not text or text ~= output.stdout_trailer or not text:match("^%d%d?%d?$") then return nil end
  -- Bytes after a marker: it was not the stream's end (the program wrote one).
  if output.stdout_after_marker or output.stderr_after_marker then return nil end
  local status = tonumber(text)
  return status <= 255 and status or nil
end

-- Output fetched with `logs` after a time-out ends before a marker written
-- just as the time limit passed (the attach did not see it whole).
local function cut_at_marker(text, marker)
  local at = text:find(marker, 1, true)
  return at and text:sub(1, at - 1) or text
end

-- The loader's marker line when it is the very last line of text (any
-- earlier one was written by the program and is its output).
local function without_final_marker(text, marker)
  local last
  local at = text:find(marker, 1, true)
  while at do last = at; at = text:find(marker, at + 1, true) end
  if last and text:sub(last + #marker):match("^%d+\n$") then return text:sub(1, last - 1) end
  return text
end

-- The daemon's account of the exit: kills on time-out, waits, inspects.
-- Returns State and the time it finished, or nil (result.error set).
local function await_exit(container, output, o, result)
  if output.timed_out then
    result.timed_out = true
    container:kill("SIGKILL")
  elseif output.flooded then
    result.output_flooded = true
    container:kill("SIGKILL")
  end
  -- A program may close stdout and stderr and keep running: the output ends
  -- but the container does not. Only what is left of the time limit is
  -- granted before wait kills it.
  local left = (result.timed_out or result.output_flooded) and KILL_WAIT_S or math.max(o.timeout - (result.durations.attach or 0), MIN_WAIT_S)
  local waited, werr = container:wait(left)
  if not waited then
    sandbox_failure(result, "wait: " .. tostring(werr))
    return nil
  end
  if waited.timed_out then result.timed_out = true end
  local ended = core.now()
  local info = container:inspect()
  local state = info and info.State or {}
  result.exit_code = state.ExitCode or waited.status_code
  return state, M.parse_time(state.FinishedAt) or ended
end

-- Completes result from an attached run. When the loader announced the
-- exit status, that is the exit code (the daemon would report the same,
-- docs/sandbox.md) and the daemon's exit handling is not waited for; else
-- kills on time-out, waits for the exit, asks the daemon for the state and
-- the OOM evidence. Does not remove the container (an announced one may
-- still run for a few ms). Returns result (result.error set when the sandbox
-- failed) and whether the status was announced.
function M.finish(container, output, o, result)
  result.container_id = container:id()
  local announced = M.announced_status(output)
  local state, finished
  if announced then
    local info = container:inspect()
    state, finished = info and info.State or {}, core.now()
    result.exit_code = announced
  else
    state, finished = await_exit(container, output, o, result)
    if not state then return result end
  end
  local started = M.parse_time(state.StartedAt)
  if started then
    result.durations.start = nonnegative(started - result.attach_began)
    -- A pooled container started long before its program arrived.
    result.durations.run = nonnegative(finished - math.max(started, result.attach_began))
  end
  if output.timed_out and not (output.stdout_truncated and output.stderr_truncated) then
    -- The attach stream stopped at the deadline; the daemon's log has
    -- everything written until the kill. But the log of a program that
    -- flooded its output takes the daemon longer to read than the program
    -- ran: it gets LOGS_AFTER_KILL_S, else what the attach saw stands (and
    -- streams at their cap already have all the log could give).
    local t0 = core.monotonic()
    local logs = container:logs { max_bytes = o.max_output, timeout = LOGS_AFTER_KILL_S }
    if logs then
      logs.stdout, logs.stderr = cut_at_marker(logs.stdout, output.stop_marker), cut_at_marker(logs.stderr, output.stop_marker)
      output = logs
    end
    result.durations.logs = core.monotonic() - t0
  else
    if not announced and (output.stdout_trailer or output.stderr_trailer) then
      -- A marker ended one stream but announced nothing (it reached one
      -- stream only, or a program wrote one itself): the attach kept every
      -- byte after it; only the loader's own last line is taken off.
      output.stdout = without_final_marker(output.stdout, output.stop_marker)
      output.stderr = without_final_marker(output.stderr, output.stop_marker)
    end
    -- Output is streamed while the program runs; what remains is the tail
    -- read after the exit.
    result.durations.logs = nonnegative(result.attach_began + result.durations.attach - finished)
  end
  result.stdout, result.stderr = output.stdout, output.stderr
  result.truncated = { stdout = output.stdout_truncated, stderr = output.stderr_truncated }
  local evidence, sample = oom_evidence(container, state, result.attach_began, not announced)
  result.oom_evidence = json.array(evidence)
  result.oom_killed = #evidence > 0
  if sample then result.cgroup = M.cgroup_evidence(sample, o) end
  unwatch(container)
  reaper.forget(container:id())
  return result, announced ~= nil
end

-- Removes the container, timing it.
function M.remove(container, result)
  local t0 = core.monotonic()
  local ok, err = container:remove()
  result.durations.remove = core.monotonic() - t0
  observe("sandprobe_container_remove_duration_seconds", result.durations.remove)
  if not ok then result.remove_error = err end
  return ok
end

-- Hands the container to a background removal (docker's :retire): the
-- caller does not wait for the daemon to handle an exit it already knows.
function M.retire(container, result)
  local t0 = core.monotonic()
  container:retire()
  result.durations.remove = core.monotonic() - t0
end

-- Whether the run-time guard stopped the program: its exit status and its
-- refusal line on stderr (a program can print both itself, but then it only
-- misreports its own end).
function M.guarded(result)
  return result.guard and result.exit_code == runtime_guard.STATUS
    and (result.stderr or ""):find(runtime_guard.PREFIX, 1, true) ~= nil or false
end

-- The outcome label of sandprobe_sandbox_executions_total.
function M.outcome(result)
  if result.rejected then return "rejected" end
  if result.error then return "failed" end
  if result.timed_out then return "timeout" end
  if result.output_flooded then return "flood" end
  if result.oom_killed then return "oom" end
  if M.guarded(result) then return "guard" end
  if result.exit_code == 0 then return "ok" end
  return "error"
end

-- Records the execution's metrics once its result is known.
function M.record(result)
  result.outcome = M.outcome(result)
  family("sandprobe_sandbox_executions_total"):inc { outcome = result.outcome }
  if result.rejected then
    local first = result.findings[1]
    family("sandprobe_validator_rejections_total"):inc { rule = first and first.rule or "unknown" }
  end
  if result.timed_out then family("sandprobe_sandbox_timeouts_total"):inc() end
  if result.oom_killed then family("sandprobe_sandbox_oom_kills_total"):inc() end
  observe("sandprobe_container_create_duration_seconds", result.durations.create)
  observe("sandprobe_container_start_duration_seconds", result.durations.start)
  observe("sandprobe_container_run_duration_seconds", result.durations.run)
end

local function create(o, result)
  local spec = M.container_spec(o)
  local t0 = core.monotonic()
  local container, err = docker.create(spec)
  result.durations.create = core.monotonic() - t0
  return container, err
end

-- A warm container from o.pool (sandprobe.pool) when it has one for these
-- options, else a new one. The second result: it is already running.
local function acquire(o, result)
  local warm = o.pool and o.pool:acquire(o, result)
  if warm then return warm, nil, true end
  return create(o, result)
end

-- Attaches and finishes; true when the loader announced the exit status.
local function run_in(container, code, o, result, running)
  result.container_id = container:id()
  local output, aerr, partial = M.attach(container, code, o, result, running)
  if not output then
    unwatch(container)
    sandbox_failure(result, "attach: " .. tostring(aerr))
    if partial then
      -- The daemon failed part-way (it died, say): what the program had
      -- written by then is kept, with the daemon's error beside it.
      result.stdout = cut_at_marker(partial.stdout, partial.stop_marker)
      result.stderr = cut_at_marker(partial.stderr, partial.stop_marker)
      result.truncated = { stdout = partial.stdout_truncated, stderr = partial.stderr_truncated }
    end
    return false
  end
  local _, announced = M.finish(container, output, o, result)
  return announced
end

-- A pooled container whose program announced its end is retired in the
-- background (the pool waits for that at wait/drain); any other is removed
-- before the result is returned, as always.
local function execute(code, o, result)
  local container, err, running = acquire(o, result)
  if not container then return sandbox_failure(result, "create: " .. tostring(err)) end
  local ok, announced = pcall(run_in, container, code, o, result, running)
  if ok and announced and running then
    M.retire(container, result)
  else
    M.remove(container, result)
  end
  if running then o.pool:release(container) end
  if not ok then error(announced, 0) end
  return result
end

-- Runs opts.code (a string of Python source) behind the five layers. The
-- result always comes back (sandbox failures in result.error); misuse raises.
function M.run(opts)
  if type(opts) ~= "table" or type(opts.code) ~= "string" then
    error("sandbox.run: code (a string) is required", 2)
  end
  local code = opts.code
  local o = M.normalize_options(opts)
  local t0 = core.monotonic()
  local result = new_result(o)
  local rejected, fingerprint = M.check_code(code, o, result)
  -- Every program, run or refused, tells whether the generator has collapsed
  -- into repeating itself (docs/diversity.md): fingerprinted while the
  -- validator lexed it, or lexed here when validation is off.
  local d = diversity.observe(fingerprint or validator.as_python_reads(code))
  result.diversity = { score = d.score, collapsed = d.collapsed }
  if not rejected then
    local ok, err = pcall(execute, code, o, result)
    if not ok then sandbox_failure(result, tostring(err)) end
  end
  result.durations.total = core.monotonic() - t0
  result.finished_at = core.now()
  M.record(result)
  return result
end

return M
