-- The monitor module: one process-wide monitor, started and stopped from Lua,
-- sampling fixture trees.
local T = require("sandprobe.testing")
local monitor = require("monitor")

local ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
local FIXTURES = assert(os.getenv("SANDPROBE_TESTS"), "SANDPROBE_TESTS not set") .. "/fixtures/"

local function wait_for_cycles(n)
  local deadline = os.clock() + 5
  repeat
    local l = monitor.latest()
    if l.cycles >= n then return l end
  until os.clock() > deadline
  error("monitor did not reach " .. n .. " cycles")
end

T.test("not running: track and latest fail softly", function()
  T.eq(monitor.running(), false)
  local ok, err = monitor.track(ID, 1)
  T.eq(ok, nil)
  T.eq(err, "monitor not running")
  T.eq(monitor.latest(), nil)
  monitor.untrack(ID) -- harmless
  monitor.stop()      -- harmless
end)

T.test("start, track, latest, untrack, stop", function()
  T.ok(monitor.start { interval = 0.01, root = FIXTURES .. "cgroup/v1-cgroupfs", proc = FIXTURES .. "monitor/proc" })
  local ok, err = monitor.start { interval = 0.01 }
  T.eq(ok, nil)
  T.contains(err, "already running")
  T.ok(monitor.running())
  T.ok(monitor.track(ID, 0))
  local first = wait_for_cycles(1)
  local l = wait_for_cycles(first.cycles + 2)
  T.eq(l.host.memory_total_bytes, 8048576 * 1024)
  T.eq(l.host.load1, 0.52)
  local c = l.containers[ID]
  T.ok(c, "the tracked container is in latest()")
  T.eq(c.memory_usage_bytes, 2859008)
  T.eq(c.cpu_usage_seconds, 1.5)
  T.eq(c.pid, 0)
  T.eq(c.error, nil)
  monitor.untrack(ID)
  T.eq(monitor.latest().containers[ID], nil)
  monitor.stop()
  T.eq(monitor.running(), false)
end)

T.test("a container that cannot be found carries its error", function()
  T.ok(monitor.start { interval = 0.01, root = FIXTURES .. "cgroup/v2-cgroupfs" })
  local other = ("f"):rep(64)
  T.ok(monitor.track(other, 4242))
  local c = wait_for_cycles(monitor.latest().cycles + 2).containers[other]
  T.contains(c.error, "not found")
  T.eq(c.memory_usage_bytes, nil)
  monitor.stop()
end)

T.test("misuse raises", function()
  T.raises(function() monitor.start { interval = 0 } end, "interval too small")
  T.raises(function() monitor.track("abc") end, "not a full container id")
  T.ok(monitor.start { interval = 1 })
  T.raises(function() monitor.track(ID, -3) end, "must not be negative")
  monitor.stop()
end)

T.test("left running: the exit hook stops it", function()
  T.ok(monitor.start { interval = 0.05 })
end)
