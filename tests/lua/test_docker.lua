-- The docker module against the real daemon: every operation, its error
-- paths, and `<close>` removing containers. Containers run `sh`/`sleep` from
-- the sandbox image so the tests do not depend on Python start-up time.
local T = require("sandprobe.testing")
local docker = require("docker")
local json = require("json")

local IMAGE = os.getenv("SANDPROBE_IMAGE") or "sandprobe/python:3.11"

local function exists(id)
  for _, c in ipairs(assert(docker.list { labels = { ["sandprobe.run"] = docker.run_id() } })) do
    if c.Id == id then return true end
  end
  return false
end

-- A container running a shell script, without a network unless told.
local function sh(script, extra)
  local spec = { image = IMAGE, cmd = { "sh", "-c", script } }
  for k, v in pairs(extra or {}) do spec[k] = v end
  spec.host_config = spec.host_config or {}
  spec.host_config.NetworkMode = spec.host_config.NetworkMode or "none"
  return assert(docker.create(spec))
end

T.test("ping negotiates API version 1.41", function()
  T.eq(docker.ping(), "1.41")
end)

T.test("version and info describe the daemon", function()
  local v = assert(docker.version())
  T.ok(v.Version and v.ApiVersion, "Version and ApiVersion")
  local info = assert(docker.info())
  T.ok(info.Driver and info.CgroupDriver, "Driver and CgroupDriver")
end)

T.test("image_inspect finds the sandbox image", function()
  local img = assert(docker.image_inspect(IMAGE))
  T.contains(img.Id, "sha256:")
end)

T.test("image_inspect of an unknown image surfaces the 404 message", function()
  local ok, msg, status = docker.image_inspect("sandprobe-test/no-such-image:0")
  T.eq(ok, nil)
  T.eq(status, 404)
  T.contains(msg:lower(), "no such image")
end)

T.test("create with an unknown image surfaces the daemon's message", function()
  local c, msg, status = docker.create { image = "sandprobe-test/no-such-image:0" }
  T.eq(c, nil)
  T.eq(status, 404)
  T.contains(msg:lower(), "no such image")
end)

T.test("a bad HostConfig surfaces the 400 message", function()
  local c, msg, status = docker.create { image = IMAGE, host_config = { Memory = 1024 } }
  T.eq(c, nil)
  T.eq(status, 400)
  T.contains(msg, "Minimum memory limit")
end)

T.test("misuse raises argument errors", function()
  T.raises(function() docker.create { image = IMAGE, host_config = { NetworkMod = "none" } } end,
    "unknown HostConfig setting 'NetworkMod'")
  T.raises(function() docker.create { image = IMAGE, Cmdd = {} } end, "unknown container setting 'Cmdd'")
  T.raises(function() docker.create { cmd = { "true" } } end, "image")
  T.raises(function() docker.create { image = IMAGE, host_config = { Memory = "12q" } } end, "bad size")
  T.raises(function() docker.create { image = IMAGE, Image = IMAGE } end, "both 'image' and 'Image'")
  T.raises(function() docker.create("x") end, "table expected")
end)

T.test("<close> removes the container whatever happens", function()
  local id
  local ok = pcall(function()
    local c <close> = sh("true")
    id = c:id()
    T.ok(exists(id), "exists while in scope")
    error("scenario failed")
  end)
  T.eq(ok, false)
  T.ok(id and #id == 64, "got an id")
  T.eq(exists(id), false, "removed on scope exit")
end)

T.test("containers carry the sandprobe labels", function()
  local c <close> = sh("true", { labels = { mine = "yes", ["sandprobe.run"] = "forged" } })
  local labels = assert(c:inspect()).Config.Labels
  T.eq(labels["sandprobe.managed"], "true")
  T.eq(labels["sandprobe.run"], docker.run_id())
  T.eq(labels["sandprobe.pid"], tostring(require("sandprobe.core").pid()))
  T.eq(labels["sandprobe.host"], require("sandprobe.core").hostname())
  T.eq(labels.mine, "yes")
end)

T.test("start, wait and logs split stdout from stderr", function()
  local c <close> = sh("echo 'Hello from Docker'; echo oops >&2; exit 3")
  assert(c:start())
  local w = assert(c:wait(30))
  T.eq(w.status_code, 3)
  T.eq(w.timed_out, false)
  local out = assert(c:logs())
  T.eq(out.stdout, "Hello from Docker\n")
  T.eq(out.stderr, "oops\n")
  T.eq(out.stdout_truncated, false)
end)

T.test("logs are capped with a truncated flag", function()
  local c <close> = sh("head -c 100000 /dev/zero | tr '\\0' x; echo e >&2")
  assert(c:start())
  assert(c:wait(30))
  local out = assert(c:logs { max_bytes = 1000 })
  T.eq(#out.stdout, 1000)
  T.eq(out.stdout_truncated, true)
  T.eq(out.stderr, "e\n")
  T.eq(out.stderr_truncated, false)
end)

T.test("a TTY container's logs are raw", function()
  local c <close> = sh("echo tty-out", { tty = true })
  assert(c:start())
  assert(c:wait(30))
  T.contains(assert(c:logs()).stdout, "tty-out")
end)

T.test("wait with a timeout kills the container", function()
  local c <close> = sh("sleep 60")
  assert(c:start())
  local t0 = os.time()
  local w = assert(c:wait(1))
  T.eq(w.timed_out, true)
  T.eq(w.status_code, 137)
  T.ok(os.time() - t0 < 20, "returned soon after the timeout")
end)

T.test("attach sends stdin and reads both streams", function()
  local c <close> = sh("tr a-z A-Z; echo done >&2", { stdin = true })
  local out = assert(c:attach("hello stdin\n", { timeout = 30 }))
  T.eq(out.stdout, "HELLO STDIN\n")
  T.eq(out.stderr, "done\n")
  T.eq(out.timed_out, false)
  T.eq(assert(c:wait(30)).status_code, 0)
end)

T.test("attach streams a large stdin without deadlock", function()
  local c <close> = sh("cat; cat /dev/null", { stdin = true })
  local input = string.rep("0123456789", 50000) -- 500 kB, more than the pipe buffers
  local out = assert(c:attach(input, { timeout = 60, max_bytes = 1000 }))
  T.eq(#out.stdout, 1000)
  T.eq(out.stdout_truncated, true)
end)

T.test("attach gives up at its timeout", function()
  local c <close> = sh("sleep 60", { stdin = true })
  local out = assert(c:attach("", { timeout = 1 }))
  T.eq(out.timed_out, true)
end)

T.test("attach stops reading at flood_bytes; below it nothing changes", function()
  local c <close> = sh("cat /dev/zero; sleep 60", { stdin = true })
  local t0 = os.time()
  local out = assert(c:attach("", { timeout = 60, max_bytes = 1000, flood_bytes = 1024 * 1024 }))
  T.eq(out.flooded, true)
  T.eq(out.timed_out, false)
  T.eq(#out.stdout, 1000)
  T.ok(out.stdout_truncated)
  T.ok(os.time() - t0 < 30, "returned at the bound, not at the timeout")
  local small <close> = sh("head -c 5000 /dev/zero", { stdin = true })
  local whole = assert(small:attach("", { timeout = 30, max_bytes = 100, flood_bytes = 4096 * 1024 }))
  T.eq(whole.flooded, false)
  T.eq(whole.stdout_truncated, true)
  T.raises(function() small:attach("", { flood_bytes = -1 }) end, "flood_bytes must not be negative")
end)

T.test("attach to an unknown container surfaces the 404", function()
  local c <close> = sh("true")
  local id = c:id()
  assert(c:remove())
  local ok, msg, status = docker.call("POST", "/containers/" .. id .. "/attach?stream=1")
  T.eq(ok, nil)
  T.eq(status, 404)
  T.contains(msg, "No such container")
  T.raises(function() c:attach("") end, "was removed")
end)

T.test("exec runs a command and reports its exit code", function()
  local c <close> = sh("sleep 60")
  assert(c:start())
  local r = assert(c:exec { cmd = { "sh", "-c", "echo $GREETING; echo bad >&2; exit 4" }, env = { GREETING = "hi" } })
  T.eq(r.exit_code, 4)
  T.eq(r.stdout, "hi\n")
  T.eq(r.stderr, "bad\n")
  assert(c:kill())
end)

T.test("exec in a stopped container fails with the daemon's message", function()
  local c <close> = sh("true")
  local ok, msg, status = c:exec { cmd = { "true" } }
  T.eq(ok, nil)
  T.eq(status, 409)
  T.contains(msg, "is not running")
end)

T.test("inspect shows the HostConfig, with CLI-style sizes converted", function()
  local c <close> = assert(docker.create {
    image = IMAGE, cmd = { "true" }, user = "1000:100", working_dir = "/tmp",
    env = { A = "1" }, stop_timeout = 2,
    host_config = {
      NetworkMode = "none", ReadonlyRootfs = true, Tmpfs = { ["/tmp"] = "rw,noexec,nosuid,size=16m" },
      Memory = "64m", MemorySwap = "64m", PidsLimit = 32, NanoCpus = 500000000,
      CapDrop = { "ALL" }, SecurityOpt = { "no-new-privileges" },
      Ulimits = { { Name = "nofile", Soft = 64, Hard = 64 } }, Init = true,
    },
  })
  local info = assert(c:inspect())
  local hc = info.HostConfig
  T.eq(hc.NetworkMode, "none")
  T.eq(hc.ReadonlyRootfs, true)
  T.eq(hc.Memory, 64 * 1024 * 1024)
  T.eq(hc.PidsLimit, 32)
  T.eq(hc.NanoCpus, 500000000)
  T.eq(hc.CapDrop[1], "ALL")
  T.eq(hc.Init, true)
  T.eq(hc.Ulimits[1].Soft, 64)
  T.eq(info.Config.User, "1000:100")
  T.eq(info.Config.WorkingDir, "/tmp")
  T.eq(info.Config.StopTimeout, 2)
  T.contains(table.concat(info.Config.Env, " "), "A=1")
end)

T.test("an inline seccomp profile is accepted and enforced", function()
  local profile = json.encode {
    defaultAction = "SCMP_ACT_ALLOW",
    syscalls = { { names = { "mkdir", "mkdirat" }, action = "SCMP_ACT_ERRNO", errnoRet = 1 } },
  }
  local c <close> = sh("mkdir /tmp/x && echo made", { host_config = { SecurityOpt = { "seccomp=" .. profile } } })
  assert(c:start())
  T.eq(assert(c:wait(30)).status_code, 1)
  T.contains(assert(c:logs()).stderr, "Operation not permitted")
end)

T.test("stats gives a one-shot sample", function()
  local c <close> = sh("sleep 60")
  assert(c:start())
  local s = assert(c:stats())
  T.ok(s.memory_stats and s.pids_stats, "memory and pids stats")
  assert(c:kill("SIGTERM"))
end)

T.test("kill of a stopped container surfaces the 409", function()
  local c <close> = sh("true")
  local ok, msg, status = c:kill()
  T.eq(ok, nil)
  T.eq(status, 409)
  T.contains(msg, "is not running")
end)

T.test("remove is idempotent", function()
  local c = sh("true")
  T.eq(c:remove(), true)
  T.eq(c:remove(), true)
  T.contains(tostring(c), "(removed)")
end)

T.test("list filters by label", function()
  local c <close> = sh("true", { labels = { ["sandprobe.test"] = "list" } })
  local found = assert(docker.list { labels = { "sandprobe.test=list", ["sandprobe.run"] = docker.run_id() } })
  T.eq(#found, 1)
  T.eq(found[1].Id, c:id())
  T.eq(#assert(docker.list { labels = { "sandprobe.test=nothing-has-this" } }), 0)
end)

T.test("events show this run's create and destroy, and returns", function()
  local since = require("sandprobe.core").now() - 1
  local id
  do
    local c <close> = sh("true")
    id = c:id()
  end
  local events = assert(docker.events {
    since = since,
    filters = { type = { "container" }, label = { "sandprobe.run=" .. docker.run_id() } },
  })
  local seen = {}
  for _, e in ipairs(events) do
    if e.id == id then seen[e.Action] = true end
  end
  T.ok(seen.create, "create event")
  T.ok(seen.destroy, "destroy event")
end)

T.test("image_import makes an image from a tar", function()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute(("mkdir -p %s/root && echo hi > %s/root/hello.txt && tar -C %s/root -cf %s/root.tar ."):format(dir, dir, dir, dir)))
  local id = assert(docker.image_import(dir .. "/root.tar", "sandprobe-test/import:1"))
  T.contains(id, "sha256:")
  T.eq(assert(docker.image_inspect("sandprobe-test/import:1")).Id, id)
  assert(docker.call("DELETE", "/images/sandprobe-test/import:1"))
  local ok, msg = docker.image_import(dir .. "/root.tar.gz.missing", "sandprobe-test/import:2")
  T.eq(ok, nil)
  T.contains(msg, "No such file")
  os.execute(("rm -rf %s"):format(dir))
end)

T.test("image_import of a broken tar surfaces the daemon's error", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(string.rep("not a tar archive ", 200))
  f:close()
  local ok, msg = docker.image_import(path, "sandprobe-test/broken:1")
  os.remove(path)
  T.eq(ok, nil)
  T.contains(msg, "tar")
end)

-- An unreachable daemon (missing socket, refused, silent, killed mid-call)
-- is covered by tests/integration/test_docker_daemon.sh, one process each.

T.test("sweep and remove_run return counts", function()
  T.eq(math.type(assert(docker.sweep())), "integer")
  local c = sh("true")
  local id = c:id()
  T.ok(assert(docker.remove_run()) >= 1)
  T.eq(exists(id), false)
  T.eq(c:remove(), true) -- already gone: still fine
end)

return T
