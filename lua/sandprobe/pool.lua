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
--   local c = p:acquire(options)   -- a running container, or nil, why
--   ... c:attach(code, {start = false, ...}); c:wait(); c:remove()
--   p:release(c)                   -- bookkeeping only; never reuses c
local core = require("sandprobe.core")
local docker = require("docker")
local metrics = require("metrics")

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

local function sandbox_module()
  local ok, sandbox = pcall(require, "sandprobe.sandbox")
  if ok and type(sandbox) == "table" and sandbox.container_spec then return sandbox end
  return nil
end

-- The create spec for these sandbox options: the sandbox's own
-- configuration, or options.spec (a table or a function) when the caller
-- supplies one (tests of the pool itself).
local function spec_for(options)
  if options.spec ~= nil then
    if type(options.spec) == "function" then return options.spec(options) end
    return options.spec
  end
  local sandbox = sandbox_module()
  if not sandbox then error("pool: sandprobe.sandbox is not available; pass spec=", 3) end
  local normalized = sandbox.normalize_options and sandbox.normalize_options(options) or options
  return sandbox.container_spec(normalized)
end

-- A canonical text of a spec (sorted keys), to tell whether a run asks for
-- the configuration the pool's containers have. Labels and the name are
-- bookkeeping, not isolation, so they do not count.
local IGNORED_KEYS = { labels = true, Labels = true, name = true }

local function canonical(value, out, top)
  local kind = type(value)
  if kind ~= "table" then
    out[#out + 1] = kind:sub(1, 1) .. tostring(value)
    return
  end
  local keys = {}
  for k in pairs(value) do
    if not (top and IGNORED_KEYS[k]) then keys[#keys + 1] = k end
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

local function fingerprint(spec)
  local out = {}
  canonical(spec, out, true)
  return table.concat(out)
end

-- ---- life of one warm container ------------------------------------------------

-- Creates and starts one container: a warm entry, or nil, why.
local function bring_up(self)
  local started = core.monotonic()
  local c, err = docker.create(self.spec)
  if not c then return nil, "create: " .. tostring(err) end
  local created = core.monotonic()
  local ok, start_err = c:start()
  if not ok then
    c:remove()
    return nil, "start: " .. tostring(start_err)
  end
  local now = core.monotonic()
  self._stats.created = self._stats.created + 1
  return { container = c, born = now, create_s = created - started, start_s = now - created }
end

local function is_expired(self, entry, now)
  return now - entry.born > self.max_age
end

-- Running, and its loader still waiting: a container that exited (killed,
-- crashed, stopped by someone) cannot serve a program.
local function is_healthy(entry)
  local info = entry.container:inspect()
  return info ~= nil and info.State ~= nil and info.State.Running == true
end

local function discard(self, entry, why)
  entry.container:remove()
  self._stats[why] = self._stats[why] + 1
end

-- Removes idle containers that are too old or no longer running.
local function prune(self, check_health)
  local now = core.monotonic()
  local kept = {}
  for _, entry in ipairs(self._idle) do
    if is_expired(self, entry, now) then
      discard(self, entry, "expired")
    elseif check_health and not is_healthy(entry) then
      discard(self, entry, "unhealthy")
    else
      kept[#kept + 1] = entry
    end
  end
  local dropped = #self._idle - #kept
  self._idle = kept
  move_gauges(self, -dropped, 0)
  return dropped
end

-- ---- public API --------------------------------------------------------------------

-- pool.new{size=, refill_concurrency=, max_age=, fill=true, spec=, <sandbox options>}
-- Sandbox options (memory, network, ...) choose the containers'
-- configuration exactly as for sandbox.run. fill=false defers the first fill
-- to p:refill(). Raises on misuse; a daemon failure while filling is kept in
-- p:stats().last_error and retried by the next refill.
function M.new(options)
  options = options or {}
  local self = setmetatable({}, Pool)
  for key, default in pairs(M.DEFAULTS) do
    local v = options[key]
    if v == nil then v = default end
    if math.type(v) == nil or v < 0 or (key ~= "max_age" and math.type(v) ~= "integer") then
      error(("pool: %s must be a non-negative %s"):format(key,
        key == "max_age" and "number" or "integer"), 2)
    end
    self[key] = v
  end
  if self.refill_concurrency < 1 then error("pool: refill_concurrency must be at least 1", 2) end
  self.options = {}
  for k, v in pairs(options) do
    if M.DEFAULTS[k] == nil and k ~= "fill" and k ~= "pool" then self.options[k] = v end
  end
  self.spec = spec_for(self.options)
  self._fingerprint = fingerprint(self.spec)
  self._idle = {}
  self._stats = { idle = 0, busy = 0, created = 0, served = 0, misses = 0,
                  expired = 0, unhealthy = 0, failures = 0 }
  if options.fill ~= false then self:refill(self.size) end
  return self
end

-- Brings the pool up to size: drops expired or exited containers, then
-- creates and starts at most `limit` (default refill_concurrency) new ones.
-- Returns how many were added (and the last error when some failed).
function Pool:refill(limit)
  if self._drained then return 0 end
  limit = limit or self.refill_concurrency
  prune(self, true)
  local added, last_err = 0, nil
  while #self._idle + self._stats.busy < self.size and added < limit do
    local entry, err = bring_up(self)
    if not entry then
      self._stats.failures = self._stats.failures + 1
      self._stats.last_error = err
      last_err = err
      break
    end
    self._idle[#self._idle + 1] = entry
    move_gauges(self, 1, 0)
    added = added + 1
  end
  return added, last_err
end

-- Does `options` ask for the configuration this pool's containers have?
function Pool:serves(options)
  if options == nil then return true end
  local merged = {}
  for k, v in pairs(self.options) do merged[k] = v end
  for k, v in pairs(options) do merged[k] = v end
  local ok, spec = pcall(spec_for, merged)
  return ok and fingerprint(spec) == self._fingerprint
end

-- Hands out a running container whose loader waits for one program: the
-- oldest healthy warm one, else one made now (a miss). Returns the container
-- and a table {pooled = true|false, create_s, start_s, waited_s}, or nil, why
-- (drained pool, other options, daemon failure). The caller attaches with
-- start=false, removes the container when done and calls p:release(c).
function Pool:acquire(options)
  if self._drained then return nil, "pool: drained" end
  if options and not self:serves(options) then
    return nil, "pool: these options need another container configuration"
  end
  prune(self, false)
  while #self._idle > 0 do
    local entry = table.remove(self._idle, 1)
    move_gauges(self, -1, 0)
    if is_healthy(entry) then
      move_gauges(self, 0, 1)
      self._stats.served = self._stats.served + 1
      return entry.container, { pooled = true, create_s = entry.create_s, start_s = entry.start_s,
                                waited_s = core.monotonic() - entry.born }
    end
    discard(self, entry, "unhealthy")
  end
  local entry, err = bring_up(self)
  if not entry then
    self._stats.failures = self._stats.failures + 1
    self._stats.last_error = err
    return nil, err
  end
  move_gauges(self, 0, 1)
  self._stats.misses = self._stats.misses + 1
  self._stats.served = self._stats.served + 1
  return entry.container, { pooled = false, create_s = entry.create_s, start_s = entry.start_s,
                            waited_s = 0 }
end

-- A container from acquire is done with. It is removed here if the caller
-- did not (single use, always); no refill happens here, so the caller's
-- result is not delayed by one.
function Pool:release(c)
  if c ~= nil then c:remove() end
  if self._stats.busy > 0 then move_gauges(self, 0, -1) end
end

-- Runs code in a warm container: exactly sandbox.run{..., pool = self}.
function Pool:run(options)
  local sandbox = sandbox_module()
  if not sandbox then error("pool: sandprobe.sandbox is not available", 2) end
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
-- the number removed. Idempotent; also __close and __gc.
function Pool:drain()
  local removed = 0
  for _, entry in ipairs(self._idle or {}) do
    entry.container:remove()
    removed = removed + 1
  end
  if self._idle then move_gauges(self, -#self._idle, 0) end
  self._idle = {}
  self._drained = true
  return removed
end

Pool.__close = Pool.drain
Pool.__gc = Pool.drain

M.Pool = Pool
return M
