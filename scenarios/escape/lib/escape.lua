-- What every scenario of the escape pack shares: the one place probes reach
-- the sandbox under test (run, holder), the Python prelude that reports a
-- probe's facts, the seccomp profile the sandbox's options select, and the
-- scenario constructor (references and remediation are mandatory).
--
-- Probes are precondition checks, never exploits: they ask whether a door is
-- open (a syscall reaches the kernel, a path is writable, an interface
-- exists), never walk through it. Nothing they do needs the network, and the
-- network probes refuse to connect at all unless the sandbox has no route off
-- the machine.
local hardened = require("sandprobe.profiles.hardened")

local M = {}

-- The line a probe's facts travel on (the last one wins).
local FACTS = "ESCAPE-FACTS "

-- Python every probe starts with. report(**facts) sends the facts back;
-- need(module) turns a missing module into a skip with the reason;
-- call(name, *args) makes a raw syscall by the number Lua resolved (SYSCALLS)
-- and returns "ok" or the errno name; try_(fn, *args) does the same for a
-- Python call.
M.PRELUDE = [[
import errno as _errno, json as _json, os, sys
def report(**facts):
    sys.stdout.write("\n]] .. FACTS .. [[" + _json.dumps(facts) + "\n"); sys.stdout.flush()
def need(module):
    try:
        return __import__(module)
    except ImportError as e:
        report(skip="the Python module %s is missing in the sandbox image: %s" % (module, e))
        raise SystemExit(0)
def errname(n):
    return _errno.errorcode.get(n, str(n))
def try_(fn, *args):
    try:
        fn(*args)
        return "ok"
    except OSError as e:
        return errname(e.errno)
_libc = None
def libc():
    global _libc
    if _libc is None:
        ctypes = need("ctypes")
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.syscall.restype = ctypes.c_long
    return _libc
def raw(nr, *args):
    ctypes = need("ctypes")
    l = libc()
    a = [ctypes.c_long(x) if isinstance(x, int) else x for x in args]
    ctypes.set_errno(0)
    r = l.syscall(ctypes.c_long(nr), *a)
    return r, (ctypes.get_errno() if r == -1 else 0)
def interfaces():
    return sorted(os.listdir("/sys/class/net"))
def routes():
    out = []
    for path in ("/proc/net/route", "/proc/net/ipv6_route"):
        try:
            rows = open(path).read().splitlines()
        except OSError:
            continue
        out += [r for r in (rows[1:] if path.endswith("/route") else rows) if r.strip() and " lo" not in r and not r.endswith("lo")]
    return out
def off_machine_possible():
    # Connect probes run only when nothing can leave: loopback alone, no route.
    return [i for i in interfaces() if i != "lo"] or routes()
def call(name, *args):
    r, e = raw(SYSCALLS[name], *args)
    if r == 0 and name in ("fork", "clone"):
        os._exit(0)  # a child the filter let through: it ends at once
    return "ok" if r != -1 else errname(e)
]]

-- The options sandbox.run fills in when a probe gives none: the sandbox
-- under test.
function M.options()
  return sandbox.normalize_options {}
end

-- The options every probe's sandbox gets: the sandbox's defaults with
-- Layer 1 and its run-time guards off (the probes do on purpose what they
-- refuse), so that what is measured is the layers below. The one place such
-- switches are made. `extra` may add what a probe needs besides the sandbox
-- settings: timeout, max_output, labels.
function M.probe_options(extra)
  local opts = { validate = false, labels = { ["sandprobe.escape"] = "probe" } }
  for k, v in pairs(extra or {}) do opts[k] = v end
  return opts
end

-- Runs Python `code` (after the prelude) in the sandbox under test:
-- sandbox.run with probe_options(extra).
function M.run(code, extra, syscalls)
  local opts = M.probe_options(extra)
  opts.code = M.prelude(syscalls) .. code
  return sandbox.run(opts)
end

-- The prelude with SYSCALLS = {name = number} for the names given.
function M.prelude(syscalls)
  local parts = {}
  for _, name in ipairs(syscalls or {}) do
    local nr, err = seccomp.syscall_number(name)
    if not nr then error(("syscall %s: %s"):format(name, err), 0) end
    parts[#parts + 1] = ("%q: %d"):format(name, nr)
  end
  return M.PRELUDE .. "SYSCALLS = {" .. table.concat(parts, ", ") .. "}\n"
end

-- The facts a run reported. A sandbox failure or a probe that reported
-- nothing raises (the scenario's status is then error, never pass); a probe
-- that reported skip = reason skips.
function M.facts_of(t, r)
  t:note("exit_code", r.exit_code)
  if r.timed_out then t:note("timed_out", true) end
  if r.error then error("the sandbox failed: " .. r.error, 0) end
  local last
  for line in r.stdout:gmatch("[^\n]+") do
    if line:sub(1, #FACTS) == FACTS then last = line:sub(#FACTS + 1) end
  end
  if not last then
    error(("the probe reported nothing (exit %s): %s"):format(tostring(r.exit_code), r.stderr:sub(-600)), 0)
  end
  local facts = json.decode(last)
  if facts.skip then t:skip(facts.skip) end
  return facts
end

-- Runs a probe and returns its facts (see run, facts_of).
function M.facts(t, code, extra, syscalls)
  return M.facts_of(t, M.run(code, extra, syscalls)), nil
end

-- A container of the sandbox under test (sandbox.container_spec of the
-- default options) running `code`, held alive until the caller closes it:
-- once `code` has run (making its object), the holder announces READY on
-- both streams and sleeps up to `hold` seconds, keeping the object alive. Used where two
-- sandboxes must be alive at once. Returns the container (to-be-closed) and
-- the holder's own report.
M.READY = "\1escape-ready:"
function M.holder(code, hold, syscalls)
  local o = sandbox.normalize_options(M.probe_options { labels = { ["sandprobe.escape"] = "holder" } })
  local c = assert(docker.create(sandbox.container_spec(o)))
  local program = M.prelude(syscalls) .. code .. ([[

import time
sys.stdout.flush(); sys.stderr.flush()
os.write(1, b"%s1\n"); os.write(2, b"%s1\n")
time.sleep(%d)
]]):format(M.READY:gsub("\1", "\\x01"), M.READY:gsub("\1", "\\x01"), hold or 20)
  local out, err = c:attach("holder\n" .. program, { start = true, timeout = 15, stop_marker = M.READY })
  if not out then
    c:remove()
    error("holder: " .. tostring(err), 0)
  end
  if not out.stopped then
    c:remove()
    error("holder did not get ready: " .. out.stderr:sub(-400), 0)
  end
  return c, out.stdout
end

-- Runs `code` in a fresh sandbox while a holder running `holder_code` is
-- alive, and checks it still was afterwards. Returns the holder's report
-- line (its stdout) and the facts of the second sandbox.
function M.beside_holder(t, holder_code, code, syscalls)
  local holder <close>, holder_out = M.holder(holder_code, nil, syscalls)
  local facts = M.facts(t, code, nil, syscalls)
  local state = assert(holder:inspect()).State
  t:check(state.Running, "the first sandbox was still alive after the second one's probe")
  return holder_out, facts
end

-- The capabilities a container of these options has: Docker's default set,
-- less cap_drop (ALL: every one), plus cap_add.
local DOCKER_DEFAULT_CAPS = { "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
  "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE" }

local function normal_cap(name)
  name = name:upper()
  return name:match("^CAP_") and name or ("CAP_" .. name)
end

function M.capabilities(o)
  local held = {}
  for _, c in ipairs(DOCKER_DEFAULT_CAPS) do held[c] = true end
  for _, c in ipairs(o.cap_drop) do
    if c:upper() == "ALL" then held = {} else held[normal_cap(c)] = nil end
  end
  for _, c in ipairs(o.cap_add) do held[normal_cap(c)] = true end
  local list = {}
  for c in pairs(held) do list[#list + 1] = c end
  table.sort(list)
  return list
end

-- The seccomp profile the sandbox's options select, for its capabilities,
-- or nil and why there is none to compare with ("unconfined": no filter).
function M.profile(o)
  o = o or M.options()
  local choice, profile = o.seccomp, nil
  if choice == "unconfined" then return nil, "unconfined" end
  if choice == "hardened" then
    profile = hardened.build { capabilities = M.capabilities(o) }
    return profile
  elseif choice == "default" then
    profile = assert(seccomp.default_profile())
  elseif type(choice) == "userdata" then
    profile = choice:copy()
  elseif type(choice) == "string" and choice:match("^%s*{") then
    profile = assert(seccomp.parse(choice))
  else
    profile = assert(seccomp.load(choice))
  end
  profile:capabilities(M.capabilities(o))
  return profile
end

-- What the profile does with name(args): "allow", or the errno name it
-- answers with ("EPERM"), or the action name for the other actions.
local ERRNO_NAMES = {}
function M.verdict(profile, name, args)
  if not profile then return "allow" end
  local action, errno = profile:action(name, args)
  if action == nil then return nil, errno end
  if action ~= "errno" then return action end
  if not ERRNO_NAMES[errno] then
    for _, n in ipairs { "EPERM", "ENOSYS", "EACCES", "EINVAL", "EAFNOSUPPORT", "ENOTSUP", "EOPNOTSUPP" } do
      if seccomp.errno(n) == errno then ERRNO_NAMES[errno] = n end
    end
  end
  return ERRNO_NAMES[errno] or tostring(errno)
end

-- Scenario constructor: checks the metadata every escape scenario must have
-- and puts its references into the evidence of every report.
local function check_list(s, key)
  if type(s[key]) ~= "table" or #s[key] == 0 then
    error(("escape scenario %s: '%s' must be a non-empty list"):format(tostring(s.id), key), 2)
  end
end

function M.scenario(s)
  check_list(s, "references")
  check_list(s, "tags")
  if type(s.remediation) ~= "string" or s.remediation == "" then
    error(("escape scenario %s: 'remediation' is required"):format(tostring(s.id)), 2)
  end
  local body = s.run
  return {
    id = s.id, title = s.title, tags = s.tags, references = s.references,
    remediation = s.remediation, timeout = s.timeout or 60, requires = { "docker" },
    run = function(t)
      t:note("references", table.concat(s.references, ", "))
      return body(t)
    end,
  }
end

-- The common shape of a kernel-surface probe: each call {name, args...}
-- must be refused by the sandbox, with the errno the profile gives it.
-- Arguments are chosen so that a call that did reach the kernel fails there
-- harmlessly (a NULL pointer, a bad descriptor, an invalid magic number).
function M.refused_calls(t, calls)
  local o = M.options()
  local profile <close> = M.profile(o)
  local names, lines = {}, {}
  for i, c in ipairs(calls) do
    names[#names + 1] = c[1]
    local args = {}
    for k = 2, #c do args[#args + 1] = string.format("%d", c[k]) end
    lines[i] = ("out.append(call(%q%s))"):format(c[1], #args > 0 and (", " .. table.concat(args, ", ")) or "")
  end
  local facts = M.facts(t, "out = []\n" .. table.concat(lines, "\n") .. "\nreport(out=out)\n", nil, names)
  for i, c in ipairs(calls) do
    local name, args = c[1], table.move(c, 2, #c, 1, {})
    local label = ("%s(%s)"):format(name, table.concat(args, ", "))
    local expect = M.verdict(profile, name, args)
    local seen = facts.out[i]
    t:note(label, ("observed %s, the profile says %s"):format(seen, tostring(expect)))
    t:check(expect ~= "allow", ("the sandbox's profile (%s) refuses %s"):format(tostring(o.seccomp), label))
    t:check(seen == expect, ("%s is refused in the sandbox with %s (observed %s)"):format(label, tostring(expect), seen))
  end
end

return M
