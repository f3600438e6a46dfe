-- Helpers shared by the seed pack's scenarios: run a probe program in a
-- container built by hand (one layer at a time, no sandbox module), ask the
-- daemon whether a container still exists, and read its event stream.
local M = {}

M.IMAGE = sandbox.normalize_options({}).image

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
-- 1000 in a container with only `host_config` applied, so one layer is
-- proved on its own. Returns {exit_code, stdout, stderr, id, state, oom = {...}}.
-- opts.watch: sample the cgroup with the monitor while it runs.
function M.probe(host_config, code, opts)
  opts = opts or {}
  local c <close> = assert(docker.create {
    image = M.IMAGE, cmd = { "python3", "-c", code }, user = opts.user or "1000:100",
    working_dir = "/", env = { PYTHONUNBUFFERED = "1" },
    labels = { ["seed.probe"] = opts.label or "layer" }, host_config = host_config,
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
