-- docker.launch: create + start in a thread of their own (the warm pool's
-- background refill). The handle waits for the thread before any use, a
-- failed launch leaves nothing, and a dropped handle removes its container.
local T = require("sandprobe.testing")
local docker = require("docker")

local IMAGE = os.getenv("SANDPROBE_IMAGE") or "sandprobe/python:3.11"

local serial = 0
local function label()
  serial = serial + 1
  return ("launch-test-%s-%d"):format(docker.run_id(), serial)
end

local function spec(tag, extra)
  local s = { image = IMAGE, cmd = { "sh", "-c", "read line" }, stdin = true,
              labels = { ["sandprobe.test"] = tag }, host_config = { NetworkMode = "none" } }
  for k, v in pairs(extra or {}) do s[k] = v end
  return s
end

local function count(tag)
  return #assert(docker.list { labels = { "sandprobe.test=" .. tag } })
end

T.test("launch returns at once; ready waits; the container runs", function()
  local tag = label()
  local c <close> = assert(docker.launch(spec(tag)))
  T.eq(type(c:launching()), "boolean")
  T.eq(c:ready(), true)
  T.eq(c:launching(), false, "done after ready")
  local info = assert(c:inspect())
  T.eq(info.State.Running, true)
  T.eq(info.Config.Labels["sandprobe.managed"], "true", "engine labels")
  local out = assert(c:attach("hello\n", { start = false, timeout = 10 }))
  T.eq(out.timed_out, false)
  T.eq(assert(c:wait(5)).status_code, 0)
end)

T.test("methods wait for the launch (no ready call needed)", function()
  local tag = label()
  local c <close> = assert(docker.launch(spec(tag)))
  T.eq(#c:id(), 64)
  T.eq(count(tag), 1)
end)

T.test("a launch that cannot create reports why and leaves nothing", function()
  local c = assert(docker.launch(spec(label(), { image = "sandprobe/does-not-exist:0" })))
  local ok, err = c:ready()
  T.eq(ok, nil)
  T.contains(err, "create: ")
  T.contains(err, "does-not-exist")
  T.contains(tostring(c), "removed")
  T.raises(function() c:inspect() end, "was removed")
end)

T.test("a launch that cannot start removes what it created", function()
  local tag = label()
  local c = assert(docker.launch(spec(tag, { cmd = { "/no/such/program" } })))
  local ok, err = c:ready()
  T.eq(ok, nil)
  T.contains(err, "start: ")
  T.eq(count(tag), 0, "the created container was removed")
end)

T.test("a dropped handle removes its container, launch finished or not", function()
  local tag = label()
  do local _ = assert(docker.launch(spec(tag))) end
  collectgarbage("collect")
  collectgarbage("collect")
  T.eq(count(tag), 0)
end)

T.test("launch checks the spec like create", function()
  T.raises(function() docker.launch { image = IMAGE, name = "x" } end, "launch takes no name")
  T.raises(function() docker.launch { image = IMAGE, host_config = { NetworkMod = "none" } } end,
    "unknown HostConfig setting 'NetworkMod'")
end)

T.test("retire removes a running container in the background", function()
  local tag = label()
  local c <close> = assert(docker.launch(spec(tag)))
  T.eq(c:ready(), true)
  T.eq(c:retire(), true, "returns at once")
  T.eq(type(c:retiring()), "boolean")
  T.raises(function() c:inspect() end, "was removed")
  T.eq(c:remove(), true, "waits for the thread")
  T.eq(c:retiring(), false)
  T.eq(count(tag), 0, "gone from the daemon")
  T.eq(c:retire(), true, "idempotent")
end)

T.test("attach stops at a stop marker on both streams and keeps the trailers", function()
  local tag = label()
  local script = "read x; printf 'out\\000M:7\\nlater'; printf 'err\\000M:7\\n' >&2; sleep 30"
  local c <close> = assert(docker.launch(spec(tag, { cmd = { "sh", "-c", script } })))
  local t0 = os.time()
  local out = assert(c:attach("go\n", { start = false, timeout = 20, stop_marker = "\0M:" }))
  T.ok(os.time() - t0 < 10, "did not wait for the container's end")
  T.eq(out.stopped, true)
  T.eq(out.timed_out, false)
  -- bytes after a marker's line are output too (and say it was no announcement)
  T.eq(out.stdout, "outlater")
  T.eq(out.stdout_after_marker, true)
  T.eq(out.stderr, "err")
  T.eq(out.stderr_after_marker, nil)
  T.eq(out.stdout_trailer, "7")
  T.eq(out.stderr_trailer, "7")
  T.raises(function() c:attach("", { stop_marker = "abca" }) end, "stop_marker")
  T.raises(function() c:attach("", { stop_marker = 5 }) end, "stop_marker must be a string")
end)
