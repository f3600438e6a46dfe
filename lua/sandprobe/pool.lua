-- A warm pool of single-use sandbox containers.
--
--   local pool = require("sandprobe.pool")
--   local p <close> = pool.new { size = 2 }           -- created AND started now
--   local r = p:run { code = "print(1)" }             -- = sandbox.run{code=..., pool=p}
--   p:refill()                                        -- top up between runs
--
-- Every container is created with the sandbox's own, full configuration
-- (sandbox.container_spec: no network, read-only root, hardened seccomp,
-- limits, no capabilities, non-root) and started: PID 1 is the sandbox's
-- loader, blocked reading stdin. A run attaches to it (no start: it is already
-- running), sends the validated bytes, reads the output, waits for the exit;
-- the container is then removed, never reused. So a pooled run is a cold run
-- whose create and start were paid earlier.
--
-- A pool lives in one Lua state (each worker thread has its own). There is no
-- thread behind it: "background" refill is work done between runs, by
-- p:refill() or by the driver loop. A run that finds no warm container makes
-- one on the spot (counted as a miss), so a pool never refuses work.
--
-- The hook sandbox.run uses (and anything else that runs code in a pooled
-- container):
--   local c = p:acquire(o, result)  -- o: normalized options; a running container, or nil, why
--   ... c:attach(code, {start = false, ...}); c:wait(); c:remove()
--   p:release(c)                    -- bookkeeping only; never reuses c
local core = require("sandprobe.core")
local docker = require("docker")
local metrics = require("metrics")
local sandbox = require("sandprobe.sandbox")

local M = {}

M.DEFAULTS = {
  size = 2,               -- warm containers kept ready
  refill_concurrency = 1, -- containers one refill step brings up (p:refill())
  max_age = 300,          -- seconds a warm container may wait before it is replaced
}

local Pool = {}
Pool.__index = Pool

local function gauge(name)
  return metrics.catalogue()[name]
end

-- The engine's gauges are process-wide and every worker state may own a
-- pool, so each pool moves them by its own deltas instead of setting them.
local function move_gauges(self, d_idle, d_busy)
  if d_idle ~= 0 then gauge("sandprobe_pool_idle"):inc(d_idle) end
  if d_busy ~= 0 then gauge("sandprobe_pool_busy"):inc(d_busy) end
  if d_idle + d_busy ~= 0 then gauge("sandprobe_pool_size"):inc(d_idle + d_busy) end
  self._stats.idle = self._stats.idle + d_idle
  self._stats.busy = self._stats.busy + d_busy
end

-- ---- which container configuration ------------------------------------------

-- Options that change a run, not the container it runs in: a pooled
-- container serves any values of these. Labels are bookkeeping, not
-- isolation: a pooled container carries the pool's.
local PER_RUN = { timeout = true, max_output = true, validate = true, policy = true,
                  code = true, pool = true, labels = true }

-- A canonical text of the container-shaping options (sorted keys), to tell
-- whether a run asks for the configuration the pool's containers have.
local function canonical(value, out, top)
  local kind = type(value)
  if kind ~= "table" then
    out[#out + 1] = kind:sub(1, 1) .. tostring(value)
    return
  end
  local keys = {}
  for k in pairs(value) do
    if not (top and PER_RUN[k]) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  out[#out + 1] = "{"
  for _, k in ipairs(keys) do
    out[#out + 1] = tostring(k) .. "="
    canonical(value[k], out, false)
    out[#out + 1] = ","
  end
  out[#out + 1] = "}"
end

local function fingerprint(normalized)
  local out = {}
  canonical(normalized, out, true)
  return table.concat(out)
end

-- ---- life of one warm container ------------------------------------------------

local function alive(delta)
  gauge("sandprobe_containers_alive"):inc(delta)
end

-- Creates and starts one container: a warm entry, or nil, why.
local function bring_up(self)
  local t0 = core.monotonic()
  local c, err = docker.create(self.spec)
  if not c then return nil, "create: " .. tostring(err) end
  alive(1)
  local t1 = core.monotonic()
  local ok, start_err = c:start()
  if not ok then
    c:remove()
    alive(-1)
    return nil, "start: " .. tostring(start_err)
  end
  local t2 = core.monotonic()
  self._stats.created = self._stats.created + 1
  return { container = c, born = t2, create_s = t1 - t0, start_s = t2 - t1 }
end

-- Running, and so its loader still waiting: a container that exited
-- (killed, crashed, stopped by someone) cannot serve a program.
local function is_healthy(entry)
  local info = entry.container:inspect()
  return info ~= nil and info.State ~= nil and info.State.Running == true
end

local function discard(self, entry, why)
  entry.container:remove()
  alive(-1)
  if why then self._stats[why] = self._stats[why] + 1 end
end

-- Removes idle containers that are too old or (check_health) not running.
local function prune(self, check_health)
  local now = core.monotonic()
  local kept = {}
  for _, entry in ipairs(self._idle) do
    if now - entry.born > self.max_age then
      discard(self, entry, "expired")
    elseif check_health and not is_healthy(entry) then
      discard(self, entry, "unhealthy")
    else
      kept[#kept + 1] = entry
    end
  end
  move_gauges(self, -(#self._idle - #kept), 0)
  self._idle = kept
end

local function note_failure(self, err)
  self._stats.failures = self._stats.failures + 1
  self._stats.last_error = err
end

-- ---- public API --------------------------------------------------------------------

local function setting(options, key)
  local v = options[key]
  if v == nil then v = M.DEFAULTS[key] end
  local integer = key ~= "max_age"
  if math.type(v) == nil or v < 0 or (integer and math.type(v) ~= "integer") then
    error(("pool: %s must be a non-negative %s"):format(key, integer and "integer" or "number"), 3)
  end
  return v
end

-- pool.new{size=, refill_concurrency=, max_age=, fill=true, <sandbox options>}
-- The sandbox options (memory, network, seccomp, ...) choose the containers'
-- configuration exactly as they do for sandbox.run. fill=false leaves the
-- first fill to p:refill(). Raises on misuse; a daemon failure while filling
-- is kept in p:stats().last_error and the next refill tries again.
function M.new(options)
  options = options or {}
  local self = setmetatable({}, Pool)
  for key in pairs(M.DEFAULTS) do self[key] = setting(options, key) end
  if self.refill_concurrency < 1 then error("pool: refill_concurrency must be at least 1", 2) end
  local sandbox_options = {}
  for k, v in pairs(options) do
    if M.DEFAULTS[k] == nil and k ~= "fill" then sandbox_options[k] = v end
  end
  self.options = sandbox.normalize_options(sandbox_options)
  self.spec = sandbox.container_spec(self.options)
  self._fingerprint = fingerprint(self.options)
  self._idle = {}
  self._stats = { idle = 0, busy = 0, created = 0, served = 0, misses = 0,
                  expired = 0, unhealthy = 0, failures = 0 }
  if options.fill ~= false then self:refill(self.size) end
  return self
end

-- Brings the pool towards its size: drops expired or exited containers,
-- then creates and starts at most `limit` (default refill_concurrency) new
-- ones. Returns how many were added, and the error when one failed.
function Pool:refill(limit)
  if self._drained then return 0 end
  limit = limit or self.refill_concurrency
  prune(self, true)
  local added = 0
  while #self._idle + self._stats.busy < self.size and added < limit do
    local entry, err = bring_up(self)
    if not entry then
      note_failure(self, err)
      return added, err
    end
    self._idle[#self._idle + 1] = entry
    move_gauges(self, 1, 0)
    added = added + 1
  end
  return added
end

-- Does a run with these normalized sandbox options fit this pool's containers?
function Pool:serves(o)
  return fingerprint(o) == self._fingerprint
end

-- Hands out a running container whose loader waits for one program: the
-- oldest healthy warm one, else one made now (a miss). `o` are the run's
-- normalized sandbox options (nil: the pool's own). When `result` is given,
-- result.durations.acquire gets the time this took. Returns the container,
-- or nil, why (drained, other options, daemon failure). The caller attaches
-- with start=false, removes the container when done and calls p:release(c).
function Pool:acquire(o, result)
  if self._drained then return nil, "pool: drained" end
  if o and not self:serves(o) then
    return nil, "pool: these options need another container configuration"
  end
  local t0 = core.monotonic()
  prune(self, false)
  local container
  while #self._idle > 0 and not container do
    local entry = table.remove(self._idle, 1)
    move_gauges(self, -1, 0)
    if is_healthy(entry) then container = entry.container else discard(self, entry, "unhealthy") end
  end
  if not container then
    local entry, err = bring_up(self)
    if not entry then
      note_failure(self, err)
      return nil, err
    end
    self._stats.misses = self._stats.misses + 1
    container = entry.container
  end
  move_gauges(self, 0, 1)
  self._stats.served = self._stats.served + 1
  if result then result.durations.acquire = core.monotonic() - t0 end
  return container
end

-- A container from acquire is done with: removed here if its runner did
-- not (single use, always). No refill happens here, so the runner's result
-- is not delayed by one: call p:refill() when there is time.
function Pool:release(container)
  if container ~= nil then container:remove() end
  if self._stats.busy > 0 then move_gauges(self, 0, -1) end
end

-- Runs code in a warm container: exactly sandbox.run{..., pool = self}.
function Pool:run(options)
  local run_options = {}
  for k, v in pairs(options) do run_options[k] = v end
  run_options.pool = self
  return sandbox.run(run_options)
end

-- Counters and the current shape: size, idle, busy, created, served,
-- misses, expired, unhealthy, failures, last_error.
function Pool:stats()
  local s = {}
  for k, v in pairs(self._stats) do s[k] = v end
  s.size = s.idle + s.busy
  return s
end

-- The ids of the warm containers (for tests and evidence).
function Pool:ids()
  local ids = {}
  for i, entry in ipairs(self._idle) do ids[i] = entry.container:id() end
  return ids
end

-- Removes every warm container; the pool then serves nothing (acquire says
-- "drained"). Containers handed out are their runner's to remove. Returns
-- how many were removed. Idempotent; also __close and __gc.
function Pool:drain()
  if self._stats == nil then return 0 end -- new() failed part-way: nothing was made
  local idle = self._idle
  for _, entry in ipairs(idle) do discard(self, entry) end
  move_gauges(self, -#idle, 0)
  self._idle = {}
  self._drained = true
  return #idle
end

Pool.__close = Pool.drain
Pool.__gc = Pool.drain

M.Pool = Pool
return M
