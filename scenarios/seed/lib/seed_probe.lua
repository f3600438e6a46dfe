-- Helpers shared by the seed pack's scenarios: run a probe program in a
-- container built by hand (one layer at a time, no sandbox module), ask the
-- daemon whether a container still exists, and read its event stream.
local M = {}

-- The sandbox under test (the run's target, on the runtime of this pass):
-- probes use its image and runtime, and prove only the layer they name.
function M.target()
  return sandbox.normalize_options({})
end

M.IMAGE = M.target().image

-- True when this pass runs on gVisor, where some witnesses differ (errno of
-- a connect without a network, mount options shown, /proc/self/status).
function M.gvisor()
  return sandbox.runtime_is_gvisor(M.target().runtime)
end

-- What connect() says without any network: ENETUNREACH from Linux, "No route
-- to host" (EHOSTUNREACH) from gVisor's network stack, which has only lo.
function M.no_network_error()
  return M.gvisor() and "No route to host" or "Network is unreachable"
end

-- Python that prints "rootmount ro" when / is mounted read-only, as
-- /proc/mounts lists it (runc and gVisor alike). The witness of a read-only
-- root for a non-root user: under gVisor a write to / as a user without
-- write permission fails with EACCES before the mount is looked at.
M.ROOT_MOUNT_PY = [[
print("rootmount", [l.split()[3].split(",")[0] for l in open("/proc/mounts") if l.split()[1] == "/"][-1])
]]

-- The remediation of every scenario a runtime that ignores seccomp fails.
M.GVISOR_SECCOMP = "Under gVisor (runsc) a container's seccomp profile is silently ignored unless the runtime is registered with " ..
  "\"runtimeArgs\": [\"--oci-seccomp\"] in daemon.json (scripts/register-runtimes.sh does)."

-- Evidence of which runtime a scenario ran on, with the daemon's runtimeArgs
-- (what decides, under gVisor, whether a seccomp profile is applied at all).
function M.note_runtime(t)
  local runtime = M.target().runtime
  if not runtime then return end
  local info = docker.info()
  local entry = info and info.Runtimes and info.Runtimes[runtime]
  local runtime_args = entry and entry.runtimeArgs and table.concat(entry.runtimeArgs, " ") or ""
  t:note("runtime", ("%s (%s%s)"):format(runtime, entry and entry.path or "?",
    runtime_args ~= "" and (" " .. runtime_args) or ""))
end

-- A label value no other scenario of any run uses.
local serial = 0
function M.unique(name)
  serial = serial + 1
  return ("%s.%s.%d.%d"):format(docker.run_id(), name, os.time(), serial)
end

-- True when the daemon no longer knows the container (404 on inspect).
function M.gone(id)
  local info, err, status = docker.call("GET", "/containers/" .. id .. "/json")
  if info then return false, "still exists: " .. tostring(info.State and info.State.Status) end
  return status == 404, err
end

-- Container events with label key=value between since and until (seconds;
-- until nil: now).
function M.events(label, since, until_, action)
  local filters = { type = { "container" }, label = { label } }
  if action then filters.event = { action } end
  return assert(docker.events { since = since, ["until"] = until_, filters = filters })
end
-- Runs Python `code` (passed in argv: probes are short and trusted) as uid
-- 1000 in a container of the target's image and runtime with only
-- `host_config` applied, so one layer is proved on its own. A probe that
-- does not set NetworkMode gets "none": what does not test the network must
-- not depend on the default bridge. Returns {exit_code, stdout, stderr, id,
-- state, oom = {...}}. opts.watch: sample the cgroup with the monitor while it runs.
function M.probe(host_config, code, opts)
  opts = opts or {}
  local target = M.target()
  local hc = { NetworkMode = "none", Runtime = target.runtime }
  for k, v in pairs(host_config or {}) do hc[k] = v end
  local cmd = {}
  for i, word in ipairs(target.python) do cmd[i] = word end
  cmd[#cmd + 1], cmd[#cmd + 2] = "-c", code
  local c <close> = assert(docker.create {
    image = target.image, cmd = cmd, user = opts.user or "1000:100",
    working_dir = "/", env = { PYTHONUNBUFFERED = "1" },
    labels = { ["seed.probe"] = opts.label or "layer" }, host_config = hc,
  })
  local id = c:id()
  if opts.watch then
    if not monitor.running() then monitor.start { interval = 0.05 } end
    monitor.track(id)
  end
  local since = os.time()
  assert(c:start())
  local w = assert(c:wait(opts.timeout or 30))
  local state = assert(c:inspect()).State
  local out = assert(c:logs { max_bytes = 1 << 20 })
  local r = { exit_code = w.status_code, stdout = out.stdout, stderr = out.stderr, id = id, state = state }
  if opts.watch then
    local latest = monitor.latest()
    r.sample = latest and latest.containers[id]
    monitor.untrack(id)
    r.oom_events = #assert(docker.events { since = since - 1,
      filters = { type = { "container" }, event = { "oom" }, container = { id } } })
  end
  return r
end

-- Decodes the probe's JSON line (the last line of stdout).
function M.decode(stdout)
  local line = stdout:match("([^\n]+)\n?$")
  return line and json.decode(line)
end

return M
