-- The warm pool against the real daemon: fill, run, refill, expiry, health,
-- drain (asked of the daemon by label), pooled = cold apart from durations,
-- and the layers still holding inside a pooled container.
local T = require("sandprobe.testing")
local core = require("sandprobe.core")
local docker = require("docker")
local metrics = require("metrics")
local pool = require("sandprobe.pool")
local sandbox = require("sandprobe.sandbox")

-- Containers of this process that the daemon knows, by id.
local function live_ids()
  local ids = {}
  for _, c in ipairs(assert(docker.list { labels = { ["sandprobe.run"] = docker.run_id() } })) do
    ids[c.Id] = c.State
  end
  return ids
end

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- What a result says about the program, leaving out the timings and the
-- container's identity (which differ between any two runs).
local function observable(r)
  return {
    exit_code = r.exit_code, stdout = r.stdout, stderr = r.stderr,
    truncated_stdout = r.truncated.stdout, truncated_stderr = r.truncated.stderr,
    oom_killed = r.oom_killed, timed_out = r.timed_out, rejected = r.rejected,
    findings = #r.findings, outcome = r.outcome, error = r.error, validated = r.validated,
  }
end

T.test("new fills the pool with running containers and moves the gauges", function()
  local before = metrics.value("sandprobe_pool_idle")
  local p <close> = pool.new { size = 2 }
  T.eq(p:stats().idle, 2, "idle")
  T.eq(metrics.value("sandprobe_pool_idle") - before, 2.0, "pool_idle gauge")
  local live = live_ids()
  for _, id in ipairs(p:ids()) do T.eq(live[id], "running", "state of " .. id) end
end)

T.test("a pooled run serves the program and the container is never reused", function()
  local p <close> = pool.new { size = 1 }
  local warm = p:ids()[1]
  local r = p:run { code = "print(6 * 7)" }
  T.eq(r.error, nil, "sandbox error")
  T.eq(r.exit_code, 0)
  T.eq(r.stdout, "42\n")
  T.eq(r.container_id, warm, "served by the warm container")
  T.ok(r.durations.acquire ~= nil, "acquire timed")
  T.eq(p:stats().idle, 1, "a replacement was launched after the run")
  T.eq(p:refill(), 0, "nothing more to launch")
  T.eq(p:wait(), 1)
  T.eq(live_ids()[warm], nil, "used container removed (in the background, waited for by wait)")
  T.ok(p:ids()[1] ~= warm, "a new container, not the old one")
  T.eq(live_ids()[p:ids()[1]], "running")
  T.eq(p:stats().served, 1)
  T.eq(p:stats().misses, 0)
end)

T.test("refill launches in the background and returns at once", function()
  local p <close> = pool.new { size = 2, auto_refill = false, refill_concurrency = 1 }
  p:run { code = "pass\n" }
  p:run { code = "pass\n" }
  T.eq(p:stats().idle, 0, "auto_refill off: nothing launched")
  T.eq(p:refill(), 1, "one at a time (refill_concurrency 1)")
  -- create + start take the daemon well over 100 ms here; refill returned
  -- as soon as the launch thread was made.
  T.eq(p:stats().launching, 1, "still starting when refill returned")
  T.eq(p:refill(), 0, "the one in flight is the limit")
  T.eq(p:wait(), 1)
  T.eq(p:refill(), 1)
  T.eq(p:wait(), 2)
  T.eq(p:stats().created, 4)
end)

T.test("a run takes a container still starting rather than making another", function()
  local p <close> = pool.new { size = 1, fill = false }
  T.eq(p:refill(), 1)
  local r = p:run { code = "print('waited')" }
  T.eq(r.stdout, "waited\n")
  T.eq(p:stats().misses, 0)
  T.eq(p:stats().created, 1)
end)

T.test("an empty pool makes a container on the spot (a miss)", function()
  local p <close> = pool.new { size = 1, fill = false, auto_refill = false }
  local r = p:run { code = "print('x')" }
  T.eq(r.stdout, "x\n")
  T.eq(p:stats().misses, 1)
end)

T.test("pooled result equals the cold result apart from durations", function()
  local p <close> = pool.new { size = 1 }
  local programs = {
    { code = "print('out')\nimport warnings\nwarnings.warn('err')\nraise SystemExit(3)\n", validate = false },
    { code = "raise ValueError('boom')\n" },
    { code = "print('x' * 5000, end='')\n" },
    { code = "import os\nos.system('id')\n" },     -- rejected by Layer 1: no container either way
  }
  for i, prog in ipairs(programs) do
    local cold = sandbox.run { code = prog.code, validate = prog.validate, max_output = 4096 }
    local warm = p:run { code = prog.code, validate = prog.validate, max_output = 4096 }
    p:refill()
    for k, v in pairs(observable(cold)) do
      T.eq(observable(warm)[k], v, ("program %d, %s"):format(i, k))
    end
    if i == 1 then T.eq(warm.exit_code, 3, "program 1 really ran") end
  end
end)

T.test("fork is still EPERM inside a pooled container; threads work", function()
  -- Layer 1 off, the validator and the run-time guard: the probe is of the
  -- container's own layers.
  local p <close> = pool.new { size = 1, guard = false }
  local r = p:run { validate = false, guard = false, code = [[
import os, threading
t = threading.Thread(target=lambda: print("thread ran")); t.start(); t.join()
try:
    os.fork()
    print("forked")
except OSError as e:
    print("fork", e.errno)
print("uid", os.getuid())
]] }
  T.contains(r.stdout, "thread ran")
  T.contains(r.stdout, "fork 1\n")   -- EPERM
  T.ok(tonumber(r.stdout:match("uid (%d+)")) >= 1 << 30, "a fresh uid of its own")
  T.eq(p:stats().served, 1, "it was the pool's container")
end)

T.test("an expired container is replaced", function()
  local p <close> = pool.new { size = 1, max_age = 0.2 }
  local old = p:ids()[1]
  core.sleep(0.3)
  T.eq(p:refill(), 1, "a replacement launched")
  T.eq(p:stats().expired, 1)
  T.ok(p:ids()[1] ~= old, "new container")
  T.eq(live_ids()[old], nil, "expired container removed from the daemon")
end)

T.test("an exited container is never handed out", function()
  local p <close> = pool.new { size = 1 }
  local dead = p:ids()[1]
  assert(docker.call("POST", "/containers/" .. dead .. "/kill"))
  local r = p:run { code = "print('ok')" }
  T.eq(r.stdout, "ok\n")
  T.ok(r.container_id ~= dead, "served by another container")
  T.eq(p:stats().unhealthy, 1)
  T.eq(live_ids()[dead], nil, "the dead one removed")
end)

T.test("other container options take the cold path", function()
  local p <close> = pool.new { size = 1 }
  local warm = p:ids()[1]
  local r = p:run { code = "print('m')", memory = "256m" }
  T.eq(r.stdout, "m\n")
  T.eq(p:stats().served, 0, "pool not used")
  T.eq(p:ids()[1], warm, "warm container untouched")
  local info = assert(docker.call("GET", "/containers/" .. warm .. "/json"))
  T.eq(info.HostConfig.Memory, 512 * 1024 * 1024, "the pool's containers have the sandbox limits")
  T.eq(info.HostConfig.NetworkMode, "none")
  T.eq(info.HostConfig.ReadonlyRootfs, true)
end)

T.test("drain removes everything; the daemon has nothing of this run left", function()
  local p = pool.new { size = 2 }
  local ids = p:ids()
  local size_gauge = metrics.value("sandprobe_pool_size")
  T.eq(p:drain(), 2)
  T.eq(p:drain(), 0, "idempotent")
  T.eq(metrics.value("sandprobe_pool_size"), size_gauge - 2, "pool_size gauge")
  local live = live_ids()
  for _, id in ipairs(ids) do T.eq(live[id], nil, id) end
  local c, err = p:acquire()
  T.eq(c, nil)
  T.contains(err, "drained")
  local r = p:run { code = "print(1)" }   -- a drained pool falls back to a cold run
  T.eq(r.stdout, "1\n")
  T.eq(count(live_ids()), 0, "containers of this run")
end)

T.test("settings are checked", function()
  T.raises(function() pool.new { size = -1 } end, "size must be a non-negative integer")
  T.raises(function() pool.new { size = 1.5 } end, "size must be a non-negative integer")
  T.raises(function() pool.new { refill_concurrency = 0, fill = false } end, "at least 1")
  T.raises(function() pool.new { max_age = "x" } end, "max_age must be a non-negative number")
  T.raises(function() pool.new { memroy = "1g" } end, "unknown option 'memroy'")
end)

T.test("a pool that cannot launch reports why, once per attempt, and runs fail cleanly", function()
  local p <close> = pool.new { size = 2, image = "sandprobe/does-not-exist:0" }
  local s = p:stats()
  T.eq(s.idle, 0)
  T.ok(s.failures >= 1 and s.failures <= 2, "fill gave up after the failed attempt: " .. s.failures)
  T.contains(s.last_error, "does-not-exist")
  local r = p:run { code = "print(1)" }
  T.ok(r.error ~= nil, "the run reports the sandbox failure")
  T.eq(r.exit_code, nil)
end)

T.test("containers_alive counts warm containers once, and none after drain", function()
  local before = metrics.value("sandprobe_containers_alive")
  local p = pool.new { size = 2 }
  T.eq(metrics.value("sandprobe_containers_alive") - before, 2.0, "two warm")
  p:run { code = "pass\n" }
  p:wait()
  T.eq(metrics.value("sandprobe_containers_alive") - before, 2.0, "used one removed, replacement counted")
  p:drain()
  T.eq(metrics.value("sandprobe_containers_alive"), before, "back where it was")
end)
