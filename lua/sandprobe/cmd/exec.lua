-- `sandprobe exec FILE.py [options]`: runs one untrusted Python program in
-- the five-layer sandbox (lua/sandprobe/sandbox.lua), with docker's option
-- names for everything it lets the caller change.
--
-- Exit status, as `docker run` does it: the program's own exit status (137
-- when it was killed at the time limit or by the OOM killer), 125 when the
-- sandbox itself failed (daemon unreachable, image missing, bad profile), 126
-- when Layer 1 refused the program (it was never run: "cannot invoke"), 2 on
-- usage errors.
local args = require("sandprobe.args")
local files = require("sandprobe.files")
local json = require("json")
local metrics_options = require("sandprobe.metrics_options")
local sandbox = require("sandprobe.sandbox")
local target_options = require("sandprobe.target_options")

local EXIT_SANDBOX_FAILED, EXIT_REJECTED = 125, 126

-- --tmpfs PATH[:OPTS]: an absolute path, then comma-separated mount options
-- (size=64m, noexec, mode=1777), as docker reads it.
local function check_tmpfs(value)
  local path, rest = value:match("^([^:]*)(.*)$")
  if not path:match("^/") then return "the mount point must be an absolute path" end
  if rest == "" then return nil end
  for item in (rest:sub(2) .. ","):gmatch("([^,]*),") do
    if not item:match("^[%w_%-]+$") and not item:match("^[%w_%-]+=[%w_%.%-]+$") then
      return ("'%s' is not a mount option (OPTION or OPTION=VALUE)"):format(item)
    end
  end
end

-- --security-opt seccomp=FILE: the file must exist (the other choices are
-- words or inline JSON).
local SECCOMP_WORDS = { hardened = true, unconfined = true, default = true }
local function check_security_opt(value)
  local profile = value:match("^seccomp[=:](.*)$")
  if not profile or SECCOMP_WORDS[profile] or profile:match("^%s*{") then return nil end
  if require("sandprobe.core").filetype(profile) ~= "file" then return "no such profile file" end
end

-- --memory-swap: a size, or -1 for unlimited swap (as docker).
local function check_swap(value)
  if value == "-1" then return nil end
  local number = value:lower():match("^(%d+%.?%d*)[bkmg]?$")
  if not number or tonumber(number) <= 0 then return "needs a positive size such as 1g, or -1" end
end

local M = {
  summary = "run an untrusted Python program in the five-layer sandbox",
  usage = [[Usage: sandprobe exec FILE.py [options]

Runs FILE.py ('-' for standard input) in a fresh container behind the five
layers: the static validator, no network, a read-only root with a noexec
/tmp, the hardened seccomp profile, and memory/pids/CPU limits, as a
non-root user without capabilities. The program's output goes to this
command's standard output and error.

Exit status: the program's own (137 when it was killed at the time limit or
by the OOM killer), 125 when the sandbox could not run it, 126 when the
static validator refused it (no container is created), 2 on usage errors.

--target FILE, --target "docker run ..." or --target-like CONTAINER replace
the built-in sandbox (docs/targets.md); the options below then change only
what they name. --runtime takes one runtime here.]],
  options = {
    { name = "image", arg = "IMAGE", help = "sandbox image (default: the target's, " .. sandbox.DEFAULT_IMAGE .. " for the built-in one)" },
    { name = "network", arg = "MODE", help = "network mode (default: none)" },
    { name = "read-only", help = "read-only root file system (the default)" },
    { name = "no-read-only", help = "writable root file system" },
    { name = "tmpfs", arg = "PATH[:OPTS]", multi = true, check = check_tmpfs, help = "tmpfs mounts (default: /tmp:rw,noexec,nosuid,size=64m)" },
    { name = "memory", short = "m", arg = "BYTES", type = "size", help = "memory limit, e.g. 512m (default: 512m)" },
    { name = "memory-swap", arg = "BYTES", check = check_swap, help = "memory plus swap limit (default: equal to --memory: no swap)" },
    { name = "pids-limit", arg = "N", type = "integer", min = 1, max = 65536, help = "process/thread limit (default: 64)" },
    { name = "cpus", arg = "N", type = "number", min = 0.01, max = 1024, help = "CPU quota in CPUs (default: 1.0)" },
    { name = "cap-drop", arg = "CAP", multi = true, help = "capabilities to drop (default: ALL)" },
    { name = "cap-add", arg = "CAP", multi = true, help = "capabilities to add" },
    { name = "security-opt", arg = "OPT", multi = true, check = check_security_opt,
      help = "seccomp=FILE|unconfined|default|hardened, no-new-privileges (default: no-new-privileges, seccomp=hardened)" },
    { name = "user", short = "u", arg = "UID[:GID]", help = "user in the container (default: a fresh uid per container)" },
    { name = "env", short = "e", arg = "K=V", multi = true, help = "environment variables" },
    { name = "timeout", arg = "SECONDS", type = "number", min = 0.001, max = 86400, help = "wall-clock limit, then the container is killed (default: 10)" },
    { name = "max-output", arg = "BYTES", type = "integer", min = 0, help = "bytes kept per output stream (default: 1048576)" },
    { name = "no-validate", help = "skip Layer 1 (the static validator)" },
    { name = "no-guard", help = "skip Layer 1 at run time (the audit hook that refuses what no program needs)" },
    { name = "pool", arg = "N", type = "integer", min = 1, max = 64,
      help = "run from a pool of N warm containers created and started ahead of time (each serves one program)" },
    { name = "json", help = "print the whole result as one JSON object" },
  },
}

local function read_program(path)
  if path == "-" then return io.stdin:read("a") end
  local text, err = files.read_file(path)
  if not text then args.usage_error(err) end
  return text
end

local function env_map(list)
  local env = {}
  for _, kv in ipairs(list) do
    local k, v = kv:match("^([^=]+)=(.*)$")
    if not k then args.usage_error(("--env needs K=V, not '%s'"):format(kv)) end
    env[k] = v
  end
  return env
end

local function nonempty(list)
  if list and #list > 0 then return list end
  return nil
end

-- The sandbox options from the command line; unset ones keep the defaults.
local function sandbox_options(opts)
  if opts["read-only"] and opts["no-read-only"] then
    args.usage_error("--read-only and --no-read-only contradict each other")
  end
  local o = {
    image = opts.image, network = opts.network,
    tmpfs = nonempty(opts.tmpfs), memory = opts.memory, memory_swap = opts["memory-swap"],
    pids_limit = opts["pids-limit"], cpus = opts.cpus,
    cap_drop = nonempty(opts["cap-drop"]), cap_add = nonempty(opts["cap-add"]),
    user = opts.user, env = env_map(opts.env), timeout = opts.timeout, max_output = opts["max-output"],
    validate = not opts["no-validate"], guard = not opts["no-guard"],
  }
  if opts["no-read-only"] then o.read_only = false end
  local security_opt = nonempty(opts["security-opt"])
  if security_opt then
    -- As with docker: naming any security option replaces the defaults, but
    -- the seccomp profile stays the hardened one unless one is named.
    o.security_opt = security_opt
  end
  if opts.timeout and opts.timeout <= 0 then args.usage_error("--timeout must be positive") end
  if opts["max-output"] and opts["max-output"] < 0 then args.usage_error("--max-output must not be negative") end
  return o
end

-- Every key the JSON result promises is present, nil ones as null.
local JSON_KEYS = { "exit_code", "stdout", "stderr", "truncated", "oom_killed", "oom_evidence", "timed_out", "output_flooded",
                    "rejected", "findings", "durations", "container_id", "error", "outcome", "image" }

local function to_json(result)
  local out = {}
  for k, v in pairs(result) do out[k] = v end
  for _, k in ipairs(JSON_KEYS) do
    if out[k] == nil then out[k] = json.null end
  end
  return json.encode(out)
end

local function exit_status(result)
  if result.rejected then return EXIT_REJECTED end
  if result.error then return EXIT_SANDBOX_FAILED end
  return result.exit_code
end

local function report_text(path, result)
  io.stdout:write(result.stdout)
  io.stderr:write(result.stderr)
  if result.rejected then
    for _, f in ipairs(result.findings) do
      io.stderr:write(("%s:%d:%d: %s: %s\n"):format(path, f.line, f.col, f.rule, f.message))
    end
    io.stderr:write(("sandprobe exec: %s refused by the static validator (%d finding%s); nothing was run\n")
      :format(path, #result.findings, #result.findings == 1 and "" or "s"))
  elseif result.error then
    io.stderr:write("sandprobe exec: the sandbox failed: ", result.error, "\n")
  elseif result.timed_out then
    io.stderr:write(("sandprobe exec: killed at the time limit (%g s)\n"):format(result.timeout))
  elseif result.output_flooded then
    io.stderr:write("sandprobe exec: killed: the output passed the flood bound\n")
  elseif result.outcome == "guard" then
    io.stderr:write("sandprobe exec: stopped by the run-time guard (Layer 1)\n")
  elseif result.oom_killed then
    io.stderr:write(("sandprobe exec: killed by the OOM killer (%s)\n")
      :format(table.concat(result.oom_evidence, ", ")))
  end
  for _, name in ipairs({ "stdout", "stderr" }) do
    if result.truncated[name] then
      io.stderr:write(("sandprobe exec: %s truncated at the output cap\n"):format(name))
    end
  end
end

metrics_options.add_to(M.options)
target_options.add_to(M.options)

-- A pool with exactly the sandbox options of this run, so the pooled result
-- is what a cold run would give (a pool with other options is not used).
local function new_pool(o, size)
  local pool_options = { size = size, auto_refill = false }
  for k, v in pairs(o) do
    if k ~= "code" then pool_options[k] = v end
  end
  return require("sandprobe.pool").new(pool_options)
end

function M.run(argv)
  local opts, positional = args.parse(argv, M.options)
  if #positional ~= 1 then args.usage_error("exec needs exactly one FILE.py (or '-')") end
  local code = read_program(positional[1])
  local chosen_target = target_options.resolve(opts)
  if #chosen_target.runtimes > 1 then args.usage_error("exec runs one program: give --runtime one runtime") end
  target_options.use(chosen_target, chosen_target.runtimes[1])
  local o = sandbox_options(opts)
  o.code = code
  local ok, normalized = pcall(sandbox.normalize_options, o)
  if not ok then
    io.stderr:write("sandprobe exec: ", tostring(normalized), "\n")
    return EXIT_SANDBOX_FAILED
  end
  require("sandprobe.startup").sweep_leftovers(io.stderr)
  local metrics_run = metrics_options.start(opts)
  local pool <close> = opts.pool and new_pool(o, opts.pool) or nil
  o.pool = pool
  local result = sandbox.run(o)
  result.timeout = normalized.timeout
  local metrics_ok, metrics_err = metrics_options.finish(metrics_run)
  if not metrics_ok then
    io.stderr:write("sandprobe exec: ", metrics_err, "\n")
    return EXIT_SANDBOX_FAILED
  end
  if opts.json then
    io.stdout:write(to_json(result), "\n")
  else
    report_text(positional[1], result)
  end
  return exit_status(result)
end

return M
