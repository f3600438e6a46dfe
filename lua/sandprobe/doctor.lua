-- Environment checks: is there a Docker daemon sandprobe can use to prove a
-- sandbox? Used by `sandprobe doctor` and by the seed pack's seed.env.*
-- scenarios, so each check is plain data:
--   doctor.checks()      -> list of { id=, name=, ok=, detail=, remedy= }
--   doctor.check(id)     -> one such record (runs what it depends on)
--   doctor.ids           -> the check ids, in order
-- remedy is set only when ok is false.
local docker = require("docker")
local core = require("sandprobe.core")

local M = {}

-- The sandbox image, and the pulled image accepted where a registry exists.
M.IMAGES = { "sandprobe/python:3.11", "python:3.10-slim" }
M.HELLO = "Hello from Docker"

local START_DOCKER = "start the daemon with scripts/start-docker.sh, or point --host / DOCKER_HOST at a running one"

-- What several checks need, asked of the daemon once.
local function new_context()
  local ctx = {}
  function ctx.ping()
    if ctx.api == nil then
      local api, err = docker.ping()
      ctx.api, ctx.ping_error = api or false, err
    end
    return ctx.api, ctx.ping_error
  end
  function ctx.info()
    if ctx.info_value == nil then
      ctx.info_value = docker.info() or false
    end
    return ctx.info_value
  end
  function ctx.image()
    if ctx.image_name == nil then
      ctx.image_name = false
      for _, name in ipairs(M.IMAGES) do
        if docker.image_inspect(name) then
          ctx.image_name = name
          break
        end
      end
    end
    return ctx.image_name
  end
  return ctx
end

local function pass(detail) return { ok = true, detail = detail } end
local function fail(detail, remedy) return { ok = false, detail = detail, remedy = remedy } end

-- Checks below the first need the daemon; unreachable, they say so.
local function unreachable(ctx)
  if ctx.ping() then return nil end
  return fail("not checked: the Docker daemon is unreachable", "fix 'daemon reachable' first")
end

-- A yes/no capability from /info.
local function info_flag(field, what, remedy)
  return function(ctx)
    local skip = unreachable(ctx)
    if skip then return skip end
    local info = ctx.info()
    if info and info[field] then return pass(what .. " supported (" .. field .. ")") end
    return fail(what .. " not supported by the daemon (" .. field .. " is false)", remedy)
  end
end

local CHECKS = {
  { id = "daemon", name = "daemon reachable", run = function(ctx)
    local api, err = ctx.ping()
    if api then return pass(("%s answers"):format(docker.endpoint())) end
    return fail(err, START_DOCKER)
  end },

  { id = "versions", name = "client, daemon and API versions", run = function(ctx)
    local skip = unreachable(ctx)
    if skip then return skip end
    local v, err = docker.version()
    if not v then return fail(err, START_DOCKER) end
    local detail = ("client sandprobe %s (API up to 1.41), daemon %s (API %s, minimum %s), using API %s")
      :format(core.version, v.Version, v.ApiVersion, v.MinAPIVersion or "?", ctx.api)
    if ctx.api ~= "1.41" then
      return fail(detail, "use Docker 20.10 or newer (API 1.41)")
    end
    return pass(detail)
  end },

  { id = "storage_driver", name = "storage driver", run = function(ctx)
    local skip = unreachable(ctx)
    if skip then return skip end
    local info = ctx.info()
    if info and info.Driver and info.Driver ~= "" then return pass(info.Driver) end
    return fail("the daemon reports no storage driver", "check the daemon's log and its data root")
  end },

  { id = "cgroup", name = "cgroup driver and version", run = function(ctx)
    local skip = unreachable(ctx)
    if skip then return skip end
    local info = ctx.info()
    if info and info.CgroupDriver and info.CgroupDriver ~= "none" then
      return pass(("%s driver, cgroup v%s"):format(info.CgroupDriver, info.CgroupVersion or "1"))
    end
    return fail("the daemon has no cgroup driver: limits cannot be enforced",
      "run dockerd on a host with cgroups mounted (cgroupfs or systemd)")
  end },

  { id = "seccomp", name = "seccomp support", run = function(ctx)
    local skip = unreachable(ctx)
    if skip then return skip end
    for _, opt in ipairs((ctx.info() or {}).SecurityOptions or {}) do
      if opt:find("name=seccomp", 1, true) then return pass(opt) end
    end
    return fail("the daemon does not offer seccomp (not in SecurityOptions)",
      "use a kernel with CONFIG_SECCOMP and a dockerd built with seccomp")
  end },

  { id = "memory_limit", name = "memory limit support",
    run = info_flag("MemoryLimit", "memory limits", "enable the memory cgroup controller") },
  { id = "swap_limit", name = "swap limit support",
    run = info_flag("SwapLimit", "swap limits", "enable swap accounting (boot with swapaccount=1 on cgroup v1)") },
  { id = "pids_limit", name = "pids limit support",
    run = info_flag("PidsLimit", "pids limits", "enable the pids cgroup controller") },

  { id = "image", name = "sandbox image present", run = function(ctx)
    local skip = unreachable(ctx)
    if skip then return skip end
    local image = ctx.image()
    if image then return pass(image) end
    return fail(("none of %s is present"):format(table.concat(M.IMAGES, ", ")),
      "build the sandbox image with scripts/build-image.sh")
  end },

  { id = "hello", name = "test container", run = function(ctx)
    local skip = unreachable(ctx)
    if skip then return skip end
    local image = ctx.image()
    if not image then
      return fail("not checked: no sandbox image", "build the sandbox image with scripts/build-image.sh")
    end
    local c <close>, err = docker.create {
      image = image, cmd = { "python3", "-c", ("print(%q)"):format(M.HELLO) },
      host_config = { NetworkMode = "none" },
    }
    if not c then return fail("create: " .. err, "check the daemon's log") end
    local steps = {
      { "start", function() return c:start() end },
      { "wait", function() return c:wait(60) end },
      { "logs", function() return c:logs { max_bytes = 4096 } end },
    }
    local results = {}
    for _, step in ipairs(steps) do
      local r, e = step[2]()
      if not r then return fail(step[1] .. ": " .. e, "check the daemon's log") end
      results[step[1]] = r
    end
    local removed, e = c:remove()
    if not removed then return fail("remove: " .. e, "check the daemon's log") end
    local out, w = results.logs.stdout, results.wait
    if w.status_code == 0 and out == M.HELLO .. "\n" then
      return pass(("%s printed %q through create/start/wait/logs/remove"):format(image, M.HELLO))
    end
    return fail(("exit status %d, stdout %q, stderr %q"):format(w.status_code, out, results.logs.stderr),
      "rebuild the sandbox image with scripts/build-image.sh --force")
  end },
}

M.ids = {}
for _, c in ipairs(CHECKS) do M.ids[#M.ids + 1] = c.id end

local function first_line(text)
  return (tostring(text):match("^%s*([^\n]*)"))
end

-- Whether `runtime` (nil: the daemon's default) starts a container of
-- `image` with no network and runs its Python: nil when it does, else the
-- daemon's message in one line. The container is removed either way.
function M.try_runtime(image, runtime, python)
  local cmd = {}
  for i, word in ipairs(python or { "python3" }) do cmd[i] = word end
  cmd[#cmd + 1], cmd[#cmd + 2] = "-c", "print('ok')"
  local c <close>, err = docker.create {
    image = image, cmd = cmd, labels = { ["sandprobe.role"] = "runtime-check" },
    host_config = { NetworkMode = "none", Runtime = runtime },
  }
  if not c then return "create: " .. first_line(err) end
  -- Podman's Docker-compatible API accepts HostConfig.Runtime and ignores it
  -- (the container runs on its default runtime, shown as "oci"): a column
  -- that claims a runtime must have run on it.
  local info = runtime and c:inspect()
  local used = info and info.HostConfig and info.HostConfig.Runtime
  if runtime and used ~= runtime then
    return ("the daemon did not honour Runtime=%s (the container's runtime is '%s')"):format(runtime, tostring(used))
  end
  local started, serr = c:start()
  if not started then return "start: " .. first_line(serr) end
  local waited, werr = c:wait(60)
  if not waited then return "wait: " .. first_line(werr) end
  if waited.status_code ~= 0 then
    local logs = c:logs { max_bytes = 4096 }
    return ("exit status %d: %s"):format(waited.status_code, first_line(logs and logs.stderr or ""))
  end
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- One check per runtime the daemon offers: a test container on each.
local function runtime_checks(ctx)
  local info = ctx.ping() and ctx.info()
  if not info or type(info.Runtimes) ~= "table" then return {} end
  local checks = {}
  for _, name in ipairs(sorted_keys(info.Runtimes)) do
    local default = name == info.DefaultRuntime and " (the default)" or ""
    checks[#checks + 1] = { id = "runtime." .. name, name = "runtime " .. name, run = function()
      local image = ctx.image()
      if not image then return fail("not checked: no sandbox image", "build the sandbox image with scripts/build-image.sh") end
      -- The default runtime is tried as a container that names none, the
      -- way every sandbox without a runtime runs.
      local err = M.try_runtime(image, name ~= info.DefaultRuntime and name or nil)
      if err and err:find("did not honour", 1, true) then
        return fail(err, ("this API cannot choose a runtime per container; make '%s' the engine's default runtime to use it"):format(name))
      elseif err then
        return fail(err, ("fix or unregister runtime '%s' in the daemon's configuration (daemon.json \"runtimes\")"):format(name))
      end
      local args = info.Runtimes[name].runtimeArgs
      local with = type(args) == "table" and #args > 0 and (" [" .. table.concat(args, " ") .. "]") or ""
      return pass(("starts containers%s%s"):format(default, with))
    end }
  end
  return checks
end

-- The default bridge: informative (a daemon may run without one); what
-- needs no network uses network none and so does not depend on it.
local bridge_check = { id = "bridge", name = "default bridge network", run = function(ctx)
  local skip = unreachable(ctx)
  if skip then return skip end
  local net, err, status = docker.call("GET", "/networks/bridge")
  if net then return pass(("present (%s)"):format(net.Options and net.Options["com.docker.network.bridge.name"] or "bridge")) end
  if status == 404 then
    return pass("absent: containers with the default network cannot start; sandboxes and probes use network none")
  end
  return fail(err, "check the daemon's log")
end }

local function run(check, ctx)
  local ok, result = pcall(check.run, ctx)
  if not ok then result = fail("check raised: " .. tostring(result), "report this as a sandprobe bug") end
  result.id, result.name = check.id, check.name
  return result
end

function M.check(id)
  for _, c in ipairs(CHECKS) do
    if c.id == id then return run(c, new_context()) end
  end
  error(("unknown doctor check '%s'"):format(tostring(id)), 2)
end

function M.checks()
  local ctx, results = new_context(), {}
  for _, c in ipairs(CHECKS) do results[#results + 1] = run(c, ctx) end
  results[#results + 1] = run(bridge_check, ctx)
  for _, c in ipairs(runtime_checks(ctx)) do results[#results + 1] = run(c, ctx) end
  return results
end

function M.all_ok(results)
  for _, r in ipairs(results) do
    if not r.ok then return false end
  end
  return true
end

return M
