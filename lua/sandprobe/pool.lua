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
-- A pool lives in one Lua state (each worker thread has its own). Refill is
-- in the background: docker.launch creates and starts each new container in
-- a thread of its own, so p:refill() (called after every run unless
-- auto_refill = false) returns at once and the caller's next program runs
-- while the daemon brings the replacement up. A run that finds nothing warm
-- waits for a container still starting, or makes one on the spot (a miss):
-- a pool never refuses work.
--
-- The hook sandbox.run uses (and anything else that runs code in a pooled
-- container):
--   local c = p:acquire(o, result)  -- o: normalized options; a running container, or nil, why
--   ... sandbox.attach(c, code, o, result, true); sandbox.finish(...); c:remove() or c:retire()
--   p:release(c)                    -- bookkeeping (keeps a retiring c until done); never reuses c
local core = require("sandprobe.core")
local docker = require("docker")
local metrics = require("metrics")
local sandbox = require("sandprobe.sandbox")

local M = {}

M.DEFAULTS = {
  size = 2,               -- warm containers kept ready (starting ones count)
  refill_concurrency = 2, -- containers being started in the background at once, at most
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
-- An entry: {container = handle}, then settled = true once its launch is
-- known to have worked, and started_at (the daemon's State.StartedAt, epoch
-- seconds) once inspected. Until its launch thread is done,
-- container:launching() is true; anything but launching() waits for it.

local function note_failure(self, err)
  self._stats.failures = self._stats.failures + 1
  self._stats.last_error = err
end

-- Starts bringing one container up in the background: an entry.
local function launch(self)
  local c, err = docker.launch(self.spec)
  if not c then return nil, err end
  return { container = c }
end

-- Waits for an entry's launch: true when its container runs.
local function settle(self, entry)
  if entry.settled then return true end
  if entry.failed then return false end
  local ok, err = entry.container:ready()
  if not ok then -- the launch removed what it had made
    note_failure(self, err)
    entry.failed = true
    return false
  end
  entry.settled = true
  self._stats.created = self._stats.created + 1
  return true
end

local function is_launching(entry)
  return not entry.settled and entry.container:launching()
end

-- Running, and so its loader still waiting: a container that exited
-- (killed, crashed, stopped by someone) cannot serve a program.
local function is_healthy(self, entry)
  if not settle(self, entry) then return false end
  local info = entry.container:inspect()
  local state = info and info.State
  if not (state and state.Running == true) then return false end
  entry.started_at = entry.started_at or sandbox.parse_time(state.StartedAt) or core.now()
  return true
end

-- Warm for longer than max_age, counted from the daemon's start (a
-- container still starting, or not yet looked at, has no age yet).
local function is_expired(self, entry)
  return entry.started_at ~= nil and core.now() - entry.started_at > self.max_age
end

local function discard(self, entry, why)
  entry.container:remove()
  if why then self._stats[why] = self._stats[why] + 1 end
end

-- Removes idle containers that are too old, and (check_health) those whose
-- launch failed or that no longer run; containers still starting are left
-- to finish.
local function prune(self, check_health)
  local kept = {}
  for _, entry in ipairs(self._idle) do
    if is_expired(self, entry) then
      discard(self, entry, "expired")
    elseif check_health and not is_launching(entry) and not is_healthy(self, entry) then
      if entry.settled then discard(self, entry, "unhealthy") end -- a failed launch left nothing
    else
      kept[#kept + 1] = entry
    end
  end
  move_gauges(self, -(#self._idle - #kept), 0)
  self._idle = kept
end

-- Used containers retired in the background (sandbox.run hands them over
-- with release): the finished ones are let go (:remove waits for the thread
-- and removes again if it failed); `all`: waits for every one.
local function reap(self, all)
  local kept = {}
  for _, container in ipairs(self._retiring) do
    if not all and container:retiring() then
      kept[#kept + 1] = container
    else
      container:remove()
    end
  end
  self._retiring = kept
end

local function launching_count(self)
  local n = 0
  for _, entry in ipairs(self._idle) do
    if is_launching(entry) then n = n + 1 end
  end
  return n
end

-- The entry to hand out: the oldest one that is up, else the oldest still
-- starting (waiting for it beats starting another). Removed from idle.
local function take(self)
  local pick = 1
  for i, entry in ipairs(self._idle) do
    if not is_launching(entry) then
      pick = i
      break
    end
  end
  local entry = table.remove(self._idle, pick)
  if entry then move_gauges(self, -1, 0) end
  return entry
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

local POOL_KEYS = { fill = true, auto_refill = true }

-- pool.new{size=, refill_concurrency=, max_age=, auto_refill=true, fill=true,
-- <sandbox options>}. The sandbox options (memory, network, seccomp, ...)
-- choose the containers' configuration exactly as they do for sandbox.run.
-- fill=true waits until the pool is warm (false: it fills in the
-- background). auto_refill=false leaves refilling to p:refill(). Raises on
-- misuse; a daemon failure while filling is kept in p:stats().last_error and
-- the next refill tries again.
function M.new(options)
  options = options or {}
  local self = setmetatable({}, Pool)
  for key in pairs(M.DEFAULTS) do self[key] = setting(options, key) end
  if self.refill_concurrency < 1 then error("pool: refill_concurrency must be at least 1", 2) end
  self.auto_refill = options.auto_refill ~= false
  local sandbox_options = {}
  for k, v in pairs(options) do
    if M.DEFAULTS[k] == nil and not POOL_KEYS[k] then sandbox_options[k] = v end
  end
  self._run_defaults = sandbox_options
  self.options = sandbox.normalize_options(sandbox_options)
  self.spec = sandbox.container_spec(self.options)
  self._fingerprint = fingerprint(self.options)
  self._idle = {}
  self._retiring = {}
  self._stats = { idle = 0, busy = 0, created = 0, served = 0, misses = 0,
                  expired = 0, unhealthy = 0, failures = 0 }
  if options.fill ~= false then self:fill() end
  return self
end

-- Brings the pool towards its size in the background: drops expired
-- containers and those that stopped or failed to start, then launches new
-- ones, at most refill_concurrency starting at once. Returns at once, with
-- the number launched (and the error when a launch could not begin).
function Pool:refill()
  if self._drained then return 0 end
  reap(self, false)
  prune(self, true)
  local launched, in_flight = 0, launching_count(self)
  while #self._idle + self._stats.busy < self.size and in_flight < self.refill_concurrency do
    local entry, err = launch(self)
    if not entry then
      note_failure(self, err)
      return launched, err
    end
    self._idle[#self._idle + 1] = entry
    move_gauges(self, 1, 0)
    launched, in_flight = launched + 1, in_flight + 1
  end
  return launched
end

-- Waits for every container still starting. Returns the number of warm
-- containers.
function Pool:wait()
  reap(self, true)
  for _, entry in ipairs(self._idle) do settle(self, entry) end
  prune(self, true)
  return #self._idle
end

-- Fills the pool and waits until it is warm (or a launch fails). Returns
-- the number of warm containers.
function Pool:fill()
  repeat
    local failures = self._stats.failures
    self:refill()
    self:wait()
  until self._drained or #self._idle + self._stats.busy >= self.size or self._stats.failures ~= failures
  return #self._idle
end

-- Does a run with these normalized sandbox options fit this pool's containers?
function Pool:serves(o)
  return fingerprint(o) == self._fingerprint
end

-- Hands out a running container whose loader waits for one program: the
-- oldest warm one, else one still starting (waited for), else one made now
-- (a miss). `o` are the run's normalized sandbox options (nil: the pool's
-- own). When `result` is given, result.durations.acquire gets the time this
-- took. Returns the container, or nil, why (drained, other options, daemon
-- failure). The caller attaches with start=false, removes the container when
-- done and calls p:release(c).
function Pool:acquire(o, result)
  if self._drained then return nil, "pool: drained" end
  if o and not self:serves(o) then
    return nil, "pool: these options need another container configuration"
  end
  local t0 = core.monotonic()
  prune(self, false)
  local container
  while #self._idle > 0 and not container do
    local entry = take(self)
    if not is_healthy(self, entry) then
      if entry.settled then discard(self, entry, "unhealthy") end
    elseif is_expired(self, entry) then
      discard(self, entry, "expired")
    else
      container = entry.container
    end
  end
  if not container then
    local entry, err = launch(self)
    if not (entry and settle(self, entry)) then
      if not entry then note_failure(self, err) end
      return nil, self._stats.last_error
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
-- not (single use, always); one still being retired in the background is
-- kept until that is over (refill lets finished ones go, wait and drain wait
-- for them). Then, unless auto_refill is off, a replacement
-- starts in the background (this returns before it is up).
function Pool:release(container)
  if container ~= nil and container:retiring() then
    self._retiring[#self._retiring + 1] = container -- still being removed: kept until done
  elseif container ~= nil then
    container:remove()
  end
  if self._stats.busy > 0 then move_gauges(self, 0, -1) end
  if self.auto_refill then self:refill() end
end

-- Runs code in a warm container: sandbox.run with the pool's sandbox
-- options, then these, and pool = self. Options that change the container
-- (memory = ...) make it a cold run with those options.
function Pool:run(options)
  local run_options = {}
  for k, v in pairs(self._run_defaults) do run_options[k] = v end
  for k, v in pairs(options) do run_options[k] = v end
  run_options.pool = self
  return sandbox.run(run_options)
end

-- Counters and the current shape: size, idle (launching included),
-- launching, busy, created, served, misses, expired, unhealthy, failures,
-- last_error.
function Pool:stats()
  local s = {}
  for k, v in pairs(self._stats) do s[k] = v end
  s.size = s.idle + s.busy
  s.launching = self._idle and launching_count(self) or 0
  return s
end

-- The ids of the idle containers (waits for those still starting).
function Pool:ids()
  local ids = {}
  for _, entry in ipairs(self._idle) do
    if settle(self, entry) then ids[#ids + 1] = entry.container:id() end
  end
  return ids
end

-- Removes every idle container (waiting for launches in flight); the pool
-- then serves nothing (acquire says "drained"). Containers handed out are
-- their runner's to remove. Returns how many were removed. Idempotent; also
-- __close and __gc.
function Pool:drain()
  if self._stats == nil then return 0 end -- new() failed part-way: nothing was made
  reap(self, true)
  local idle = self._idle
  local removed = 0
  for _, entry in ipairs(idle) do
    if settle(self, entry) then removed = removed + 1 end
    discard(self, entry)
  end
  move_gauges(self, -#idle, 0)
  self._idle = {}
  self._drained = true
  return removed
end

Pool.__close = Pool.drain
Pool.__gc = Pool.drain

M.Pool = Pool
return M
