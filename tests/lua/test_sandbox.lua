-- Lua-level tests of lua/sandprobe/sandbox.lua that need no daemon: option
-- normalisation, the container spec, the loader (run with the host's
-- python3), time parsing, outcomes, and a rejection that never contacts the
-- daemon (pointed at a dead socket). The daemon side is tested by
-- tests/integration/test_exec.sh and the seed pack.
local T = require("sandprobe.testing")
local core = require("sandprobe.core")
local json = require("json")
local metrics = require("metrics")
local sandbox = require("sandprobe.sandbox")
local strategies = require("sandprobe.strategies")

-- No test here may reach a daemon: every one runs against a dead socket. Set
-- once (an overwritten setting is never freed: readers may hold it).
core.setting("docker.host", "unix:///nonexistent/docker.sock")

T.test("defaults are the hardened ones", function()
  local o = sandbox.normalize_options {}
  T.eq(o.image, sandbox.DEFAULT_IMAGE)
  T.eq(o.network, "none")
  T.eq(o.read_only, true)
  T.eq(o.tmpfs[1], "/tmp:rw,noexec,nosuid,size=64m")
  T.eq(o.memory, "512m")
  T.eq(o.memory_swap, "512m", "no swap: memory-swap equals memory")
  T.eq(o.pids_limit, 64)
  T.eq(o.cap_drop[1], "ALL")
  T.eq(o.security_opt[1], "no-new-privileges")
  T.eq(o.seccomp, "hardened")
  T.eq(o.user, sandbox.FRESH_USER, "a fresh uid per container")
  T.eq(o.timeout, 10)
  T.eq(o.max_output, 1048576)
  T.eq(o.validate, true)
  T.eq(o.guard, true)
  T.contains(o.guard_modules, "dataclasses")
  T.contains(o.guard_modules, "_strptime", "the modules allowed APIs import on first use")
end)

T.test("the guard rides in the container's environment, off when asked", function()
  local on = sandbox.container_spec(sandbox.normalize_options {})
  T.eq(on.env.SANDPROBE_GUARD, require("sandprobe.runtime_guard").SOURCE)
  T.contains(on.env.SANDPROBE_GUARD_MODULES, "json")
  local off_options = sandbox.normalize_options { guard = false }
  T.eq(off_options.guard, false)
  local off = sandbox.container_spec(off_options)
  T.eq(off.env.SANDPROBE_GUARD, nil)
  T.eq(off.env.SANDPROBE_GUARD_MODULES, nil)
  -- the policy's modules are the guard's
  local p = {}
  for k, v in pairs(require("sandprobe.validator").default_policy()) do p[k] = v end
  p.modules = { math = { "sqrt" } }
  T.eq(sandbox.normalize_options({ policy = p }).guard_modules:match("^[^,]*"), "math")
end)

T.test("overrides with docker names, dashes or underscores", function()
  local o = sandbox.normalize_options { ["memory-swap"] = "1g", memory = "256m", cpus = 0.5,
                                        tmpfs = "/scratch:size=1m", security_opt = { "seccomp=unconfined" } }
  T.eq(o.memory_swap, "1g")
  T.eq(o.memory, "256m")
  T.eq(o.tmpfs[1], "/scratch:size=1m")
  T.eq(o.seccomp, "unconfined", "seccomp= inside security_opt selects the profile")
  T.eq(#o.security_opt, 0)
end)

T.test("misuse raises", function()
  T.raises(function() sandbox.normalize_options { netwrok = "none" } end, "unknown option 'netwrok'")
  T.raises(function() sandbox.normalize_options { timeout = "10" } end, "must be a number")
  T.raises(function() sandbox.normalize_options { timeout = 0 } end, "timeout must be positive")
  T.raises(function() sandbox.run {} end, "code (a string) is required")
end)

T.test("the container spec carries every layer and no code", function()
  local spec = sandbox.container_spec(sandbox.normalize_options { labels = { probe = "x" } })
  local hc = spec.host_config
  T.eq(spec.cmd[1], "python3")
  T.eq(spec.cmd[3], sandbox.LOADER)
  T.eq(spec.stdin, true)
  local uid, gid = spec.user:match("^(%d+):(%d+)$")
  T.ok(tonumber(uid) >= 1 << 30 and tonumber(uid) < 1 << 31, "a fresh uid far above host users: " .. spec.user)
  T.eq(uid, gid)
  T.ok(sandbox.container_spec(sandbox.normalize_options {}).user ~= spec.user, "each container its own uid")
  T.eq(sandbox.container_spec(sandbox.normalize_options { user = "1234:100" }).user, "1234:100", "a given user wins")
  local masked = {}
  for _, p in ipairs(hc.MaskedPaths) do masked[p] = true end
  for _, p in ipairs { "/proc/kcore", "/proc/keys", "/sys/firmware", "/dev/pts", "/proc/cmdline", "/proc/sys/kernel/pty" } do
    T.ok(masked[p], "masked: " .. p)
  end
  T.eq(spec.labels.probe, "x")
  T.eq(spec.labels["sandprobe.role"], "sandbox")
  T.eq(hc.NetworkMode, "none")
  T.eq(hc.ReadonlyRootfs, true)
  T.eq(hc.Tmpfs["/tmp"], "rw,noexec,nosuid,size=64m")
  T.eq(hc.Memory, "512m")
  T.eq(hc.MemorySwap, "512m")
  T.eq(hc.PidsLimit, 64)
  T.eq(hc.NanoCpus, 1000000000)
  T.eq(hc.CapDrop[1], "ALL")
  T.eq(hc.SecurityOpt[1], "no-new-privileges")
  T.contains(hc.SecurityOpt[2], "seccomp={")
  local profile = assert(json.decode(hc.SecurityOpt[2]:sub(#"seccomp=" + 1)))
  T.ok(profile.defaultAction, "the inline profile is JSON")
  T.contains(json.encode(hc.CapAdd), "[]", "an empty CapAdd is a JSON array")
  -- no /dev/shm, /dev/mqueue covered read-only, no log on the host, rlimits
  T.eq(hc.IpcMode, "none")
  T.eq(hc.Tmpfs["/dev/mqueue"], "ro,nosuid,nodev,noexec,size=4k")
  T.eq(hc.LogConfig.Type, "none")
  T.eq(hc.Ulimits[1].Name, "core")
  T.eq(hc.Ulimits[1].Hard, 0)
  T.eq(hc.Ulimits[2].Name, "nofile")
  T.eq(hc.Ulimits[2].Soft, 4096)
end)

T.test("ipc, log driver, ulimits and the /dev/mqueue cover follow the options", function()
  local hc = sandbox.container_spec(sandbox.normalize_options {
    ipc = "private", log_driver = "json-file", ulimits = { "nofile=100", "core=0:0" },
    tmpfs = { "/tmp:size=1m", "/dev/mqueue:rw" } }).host_config
  T.eq(hc.IpcMode, "private")
  T.eq(hc.LogConfig.Type, "json-file")
  T.eq(hc.Ulimits[1].Soft, 100)
  T.eq(hc.Ulimits[1].Hard, 100)
  T.eq(hc.Tmpfs["/dev/mqueue"], "rw", "a mount the caller names is kept")
  T.raises(function() sandbox.container_spec(sandbox.normalize_options { ulimits = { "nofile" } }) end,
    "is not NAME=SOFT[:HARD]")
  T.raises(function() sandbox.normalize_options { ipc = 1 } end, "must be a string")
end)

T.test("seccomp choices", function()
  local function opt(choice)
    return sandbox.container_spec(sandbox.normalize_options { seccomp = choice }).host_config.SecurityOpt
  end
  T.eq(opt("unconfined")[2], "seccomp=unconfined")
  T.eq(opt("default")[2], nil, "default: the daemon's own profile")
  T.contains(opt(require("sandprobe.profiles.hardened")())[2], "seccomp={")
  T.raises(function() opt("/no/such/profile.json") end, "/no/such/profile.json")
end)

T.test("the loader runs stdin as __main__ named <strategy>", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write('n0nce\nimport sys\nif __name__ == "__main__":\n    print("main", sys.argv[0])\nraise KeyError("k")\n')
  f:close()
  local quoted = "'" .. sandbox.LOADER:gsub("'", "'\\''") .. "'"
  local p = assert(io.popen(("python3 -c %s < %s 2>&1; echo status $?"):format(quoted, path)))
  local out = p:read("a")
  p:close()
  os.remove(path)
  T.contains(out, "main <strategy>")
  T.contains(out, 'File "<strategy>", line 4')
  T.contains(out, "status 1")
  T.contains(out, sandbox.MARKER .. "n0nce:1\n", "the exit status announced after the traceback")
end)

T.test("the loader announces nothing when the program ends by os._exit", function()
  local quoted = "'" .. sandbox.LOADER:gsub("'", "'\\''") .. "'"
  local p = assert(io.popen(("printf 'n0nce\\nimport os\\nprint(1)\\nos._exit(4)' | python3 -c %s 2>&1; echo status $?"):format(quoted)))
  local out = p:read("a")
  p:close()
  T.eq(out, "1\nstatus 4\n")
end)

-- The loader with the guard, run by the host's python3 (the image's is the
-- same CPython 3.11 from Debian).
local function guarded_loader(program)
  local src, mods = os.tmpname(), os.tmpname()
  local f = assert(io.open(src, "wb"))
  f:write(require("sandprobe.runtime_guard").SOURCE)
  f:close()
  f = assert(io.open(mods, "wb"))
  f:write("n0nce\n" .. program)
  f:close()
  local quoted = "'" .. sandbox.LOADER:gsub("'", "'\\''") .. "'"
  local modules = sandbox.normalize_options({}).guard_modules
  local p = assert(io.popen(('SANDPROBE_GUARD="$(cat %s)" SANDPROBE_GUARD_MODULES=%s python3 -c %s < %s 2>&1; echo status $?')
    :format(src, modules, quoted, mods)))
  local out = p:read("a")
  p:close()
  os.remove(src)
  os.remove(mods)
  return out
end

T.test("the guarded loader: allowed code runs, a refusal ends the program with status 97", function()
  local ok = guarded_loader("import dataclasses, collections\n@dataclasses.dataclass\nclass P:\n    x: int\n"
    .. "N = collections.namedtuple('N', 'a b')\nprint(P(1), N(1, 2))\n")
  T.contains(ok, "P(x=1) N(a=1, b=2)\n")
  T.contains(ok, sandbox.MARKER .. "n0nce:0\n")
  T.contains(ok, "status 0")
  local refused = guarded_loader("print('before')\ntry:\n    open('/etc/hostname')\nexcept BaseException:\n    print('caught')\n")
  T.contains(refused, "before\n")
  T.contains(refused, "sandprobe guard: refused open: /etc/hostname\n")
  T.eq(refused:find("caught", 1, true), nil, "the refusal cannot be caught")
  T.contains(refused, sandbox.MARKER .. "n0nce:97\n")
  T.contains(refused, "status 97")
end)

T.test("an announced status counts only when both streams agree on 0-255", function()
  T.eq(sandbox.announced_status { stopped = true, stdout_trailer = "3", stderr_trailer = "3" }, 3)
  T.eq(sandbox.announced_status { stopped = true, stdout_trailer = "0", stderr_trailer = "0" }, 0)
  T.eq(sandbox.announced_status { stopped = true, stdout_trailer = "3", stderr_trailer = "4" }, nil)
  T.eq(sandbox.announced_status { stopped = true, stdout_trailer = "256", stderr_trailer = "256" }, nil)
  T.eq(sandbox.announced_status { stopped = true, stdout_trailer = "-1", stderr_trailer = "-1" }, nil)
  T.eq(sandbox.announced_status { stopped = false, stdout_trailer = "0" }, nil)
  T.eq(sandbox.announced_status { stdout = "" }, nil)
end)

T.test("daemon times parse as UTC epoch seconds", function()
  T.eq(sandbox.parse_time("1970-01-02T00:00:00Z"), nil, "before 1971 (the zero time) is nil")
  T.eq(sandbox.parse_time("2024-03-01T00:00:01.5Z"), 1709251201.5)
  T.eq(sandbox.parse_time("0001-01-01T00:00:00Z"), nil)
  T.eq(sandbox.parse_time("garbage"), nil)
end)

T.test("outcomes", function()
  T.eq(sandbox.outcome { rejected = true }, "rejected")
  T.eq(sandbox.outcome { error = "x", exit_code = 0 }, "failed")
  T.eq(sandbox.outcome { timed_out = true, oom_killed = true, exit_code = 137 }, "timeout")
  T.eq(sandbox.outcome { oom_killed = true, exit_code = 137 }, "oom")
  T.eq(sandbox.outcome { output_flooded = true, oom_killed = true, exit_code = 137 }, "flood")
  T.eq(sandbox.flood_bytes { max_output = 1024 }, 16 * 1024 * 1024, "at least 16 MiB")
  T.eq(sandbox.flood_bytes { max_output = 4 * 1024 * 1024 }, 64 * 1024 * 1024, "16 x max_output")
  T.eq(sandbox.outcome { exit_code = 0 }, "ok")
  T.eq(sandbox.outcome { exit_code = 3 }, "error")
  local refused = "sandprobe guard: refused open: /etc/passwd\n"
  T.eq(sandbox.outcome { guard = true, exit_code = 97, stderr = refused }, "guard")
  T.eq(sandbox.outcome { guard = true, exit_code = 97, stderr = "" }, "error", "97 alone is the program's")
  T.eq(sandbox.outcome { guard = false, exit_code = 97, stderr = refused }, "error", "no guard, no refusal")
  T.eq(sandbox.outcome { guard = true, exit_code = 1, stderr = refused }, "error")
end)

T.test("a rejected program never contacts the daemon and is counted", function()
  local before = metrics.value("sandprobe_sandbox_executions_total", { outcome = "rejected" })
  local rule_before = metrics.value("sandprobe_validator_rejections_total", { rule = "policy.import" })
  local r = sandbox.run { code = "import os\nos.system('id')\n" }
  T.eq(r.rejected, true)
  T.eq(r.error, nil, "no sandbox error: the daemon was never needed")
  T.eq(r.container_id, nil)
  T.eq(r.findings[1].rule, "policy.import")
  T.eq(metrics.value("sandprobe_sandbox_executions_total", { outcome = "rejected" }), before + 1)
  T.eq(metrics.value("sandprobe_validator_rejections_total", { rule = "policy.import" }), rule_before + 1)
end)

T.test("an unreachable daemon is a sandbox failure, not a raise", function()
  local r = sandbox.run { code = "print(1)\n" }
  T.eq(r.outcome, "failed")
  T.contains(r.error, "cannot reach the Docker daemon")
end)

T.test("strategies: deterministic, mixed, each kind what it claims", function()
  local a, b = strategies.generate { seed = 5, count = 12 }, strategies.generate { seed = 5, count = 12 }
  local validator = require("sandprobe.validator")
  local kinds = {}
  for i, s in ipairs(a) do
    T.eq(s.code, b[i].code, "same seed, same strategy")
    kinds[s.kind] = true
    local v = validator.check(s.code)
    T.eq(v.accepted, s.kind ~= "dangerous", s.name)
  end
  T.ok(kinds.valid and kinds.dangerous and kinds.failing, "all three kinds appear")
  local differs = false
  for i, s in ipairs(strategies.generate { seed = 6, count = 12 }) do differs = differs or s.code ~= a[i].code end
  T.ok(differs, "another seed varies the strategies")
end)
