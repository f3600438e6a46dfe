-- Sandbox targets (lua/sandprobe/target.lua): the three forms, every kind of
-- bad input (one message naming source, key and problem), and what the
-- sandbox makes of an active target. No daemon: a dead socket throughout.
local T = require("sandprobe.testing")
local core = require("sandprobe.core")
local target = require("sandprobe.target")
local sandbox = require("sandprobe.sandbox")

core.setting("docker.host", "unix:///nonexistent/docker.sock")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function write(name, text)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path
end

T.test("the built-in target is the hardened sandbox", function()
  local t = target.default()
  T.eq(t.image, sandbox.DEFAULT_IMAGE)
  T.eq(t.network, "none")
  T.eq(t.seccomp, "hardened")
  local o = sandbox.normalize_options {}
  T.eq(o.user, "@fresh", "a fresh uid per container")
  T.eq(o.pids_limit, 64)
  T.eq(o.memory_swap, "512m", "no swap")
  T.eq(o.python[1], "python3")
end)

T.test("a Lua target file", function()
  local path = write("team.lua", [[
return { name = "team", image = "team/python:1", runtime = { "runc", "runsc" },
         network = "none", read_only = true, memory = "256m", pids_limit = 32,
         cap_drop = { "ALL" }, security_opt = { "no-new-privileges", "seccomp=unconfined" },
         ipc = "none", log_driver = "none", env = { A = "1" }, python = { "python3", "-I" } }
]])
  local t = target.load(path)
  T.eq(t.name, "team")
  T.eq(#t.runtime, 2)
  T.eq(t.seccomp, "unconfined", "seccomp= moves out of security_opt")
  T.eq(#t.security_opt, 1)
  local o = target.sandbox_options(t, "runsc")
  T.eq(o.runtime, "runsc")
  T.eq(o.ipc, "none")
  T.eq(o.python[2], "-I")
end)

T.test("keys a target leaves out are Docker's defaults", function()
  local o = target.sandbox_options(target.load(write("min.lua", 'return { image = "x:1" }')))
  T.eq(o.network, "default")
  T.eq(o.read_only, false)
  T.eq(o.seccomp, "default")
  T.eq(o.user, "")
  T.eq(#o.cap_drop, 0)
end)

T.test("a target file holding a docker run command line", function()
  local path = write("run.sh", [[
# what our service runs
docker -H unix:///run/other.sock run --rm -i --runtime=runsc --network none --read-only \
  --tmpfs /tmp:rw,noexec,size=16m -m 128m --memory-swap 128m --pids-limit 16 --cpus 0.5 \
  --cap-drop ALL --security-opt no-new-privileges -u 1000:1000 --ipc none -e "GREETING=hello world" \
  team/python:1 python3 -I
]])
  local t = target.load(path)
  T.eq(t.endpoint, "unix:///run/other.sock")
  T.eq(t.runtime[1], "runsc")
  T.eq(t.read_only, true)
  T.eq(t.tmpfs[1], "/tmp:rw,noexec,size=16m")
  T.eq(t.memory, "128m")
  T.eq(t.pids_limit, 16)
  T.eq(t.cpus, 0.5)
  T.eq(t.env.GREETING, "hello world")
  T.eq(t.image, "team/python:1")
  T.eq(table.concat(t.python, " "), "python3 -I")
  T.eq(t.seccomp, nil, "no seccomp= flag: the daemon's default")
  T.eq(target.sandbox_options(t).seccomp, "default")
end)

T.test("a command line given directly", function()
  local t = target.from_command_line("docker run --network none --runtime runc,runsc img:1")
  T.eq(#t.runtime, 2)
  T.eq(t.image, "img:1")
end)

T.test("bad targets: one message naming file, key and problem", function()
  local cases = {
    { 'return { image = "x", imgae = "y" }', "imgae: unknown key" },
    { 'return { image = "x", pids_limit = "64" }', "pids_limit: must be an integer, not string" },
    { 'return { image = "x", read_only = "yes" }', "read_only: must be true or false" },
    { 'return { network = "none" }', "image: missing" },
    { 'return { image = "x", runtime = "run sc" }', "runtime: must be a runtime name" },
    { 'return { image = "x", memory = "lots" }', "memory: must be bytes or a size" },
    { 'return { image = "x", env = { A = 1 } }', "env: must be a table of string = string" },
    { 'return { image = "x", seccomp = "missing.json" }', "seccomp: profile" },
    { 'return { image = "x", seccomp = "{ not json" }', "seccomp: profile does not parse" },
    { 'return "x"', "must return a table" },
    { 'return {', "unexpected symbol" },
    { 'while true do end', "did not build a table" },
    { 'return { image = os.getenv("HOME") }', "did not build a table" },
    { 'docker run --privileged img', "--privileged: a docker run flag a target does not understand" },
    { 'docker run --network none', "image: missing" },
    { 'docker run img; rm -rf /', "shell syntax" },
    { 'docker run --pids-limit many img', "--pids-limit: needs an integer" },
  }
  for i, case in ipairs(cases) do
    local path = write(("bad%d.target"):format(i), case[1])
    local err = T.raises(function() target.load(path) end, case[2])
    T.contains(tostring(err), path, "the message names the file")
    T.ok(not tostring(err):find("\n"), "one line")
  end
end)

T.test("a broken seccomp profile file is reported with the target", function()
  local profile = write("broken.json", '{"defaultAction": "SCMP_ACT_NOPE"}')
  local path = write("p.lua", 'return { image = "x", seccomp = "broken.json" }')
  T.raises(function() target.load(path) end, path .. ": seccomp: profile " .. profile)
end)

T.test("a missing file", function()
  T.raises(function() target.load(dir .. "/nope.lua") end, "cannot read")
end)

T.test("--runtime over the target's list", function()
  local t = target.from_command_line("docker run --runtime runc img")
  T.eq(target.runtimes(t, nil)[1], "runc")
  T.eq(#target.runtimes(t, "runc,runsc"), 2)
  T.raises(function() target.runtimes(t, "runc,$(id)") end, "is not a runtime name")
end)

T.test("an unreachable daemon leaves runtimes unjudged", function()
  local list, unnamed = target.check_runtimes({}, "x")
  T.eq(list[1], "default")
  T.eq(unnamed, true)
  T.eq(target.check_runtimes({ "runsc" }, "x")[1], "runsc")
end)

T.test("an active target becomes sandbox.run's defaults; scenarios override", function()
  target.activate(target.from_command_line("docker run --runtime runsc --ipc none -u 1:1 --log-driver none img:2 python3 -I"), "runsc")
  local o = sandbox.normalize_options {}
  T.eq(o.image, "img:2")
  T.eq(o.runtime, "runsc")
  T.eq(o.seccomp, "default")
  local spec = sandbox.container_spec(sandbox.normalize_options { network = "none", user = "2:2" })
  T.eq(spec.host_config.Runtime, "runsc")
  T.eq(spec.host_config.IpcMode, "none")
  T.eq(spec.host_config.LogConfig.Type, "none")
  T.eq(spec.host_config.NetworkMode, "none")
  T.eq(spec.user, "2:2")
  T.eq(table.concat(spec.cmd, " ", 1, 3), "python3 -I -c")
  T.eq(#spec.host_config.SecurityOpt, 0, "the daemon's default profile: no seccomp= entry")
end)

-- The command-line parser on arbitrary text: a target or a one-line usage
-- error, never a Lua error (a target file is the user's input).
T.test("arbitrary command lines give a target or a usage error", function()
  local args = require("sandprobe.args")
  local alphabet = { "docker", " run", " -", "-", "=", "'", '"', "\\", "\n", "#", "a", " img",
                     "--network", "--runtime", ",", "--env", "--pids-limit", " 5", "$", ";", "\0", "é" }
  local seed = 12345
  local function random(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
  for _ = 1, 3000 do
    local parts = { "docker run" }
    for _ = 1, random(12) do parts[#parts + 1] = alphabet[random(#alphabet)] end
    local text = table.concat(parts)
    local ok, err = pcall(target.from_command_line, text)
    if not ok then
      T.ok(args.is_usage_error(err), ("%q raised %s"):format(text, tostring(err)))
      T.ok(not tostring(err):find("\n"), "one line: " .. tostring(err))
    end
  end
end)

T.test("a message quoting input with a newline stays one line", function()
  local err = T.raises(function() target.from_command_line('docker run --pids-limit "5\n6" img') end, "needs an integer")
  T.ok(not tostring(err):find("\n"), tostring(err))
end)
