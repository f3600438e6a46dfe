-- The loader's completion marker against the real daemon: for every kind of
-- end, the result taken from the marker equals the daemon's own account
-- (exit code from wait, output from the container's log), cold and pooled
-- alike; where there is no marker (os._exit, a time-out) the daemon is asked
-- as before. docs/sandbox.md, "The end of a program".
local T = require("sandprobe.testing")
local docker = require("docker")
local pool = require("sandprobe.pool")
local sandbox = require("sandprobe.sandbox")

local MB = 1024 * 1024

local PROGRAMS = {
  { name = "normal exit 0", code = "print('hi')\n", exit = 0, announced = true },
  { name = "sys.exit(3)", code = "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.exit(3)\n",
    exit = 3, announced = true },
  { name = "sys.exit('text')", code = "import sys\nsys.exit('bye')\n", exit = 1, announced = true },
  { name = "uncaught exception", code = "print('before')\n1 / 0\n", exit = 1, announced = true,
    stderr_has = "ZeroDivisionError: division by zero" },
  { name = "os._exit(4): no marker", code = "import os\nprint('x', flush=True)\nos._exit(4)\n",
    exit = 4, announced = false },
  { name = "a marker with a wrong nonce is output",
    code = "import sys\nprint('\\0sandprobe-done:0123:0')\nsys.stderr.write('\\0sandprobe-done:0123:0\\n')\nprint('after')\n",
    exit = 0, announced = true, stdout_has = "\0sandprobe-done:0123:0\nafter\n" },
  { name = "1 MB of output, then the marker", code = "import sys\nsys.stdout.write('x' * 1048576)\n",
    exit = 0, announced = true, stdout_len = MB },
  { name = "no trailing newline", code = "print('tail', end='')\n", exit = 0, announced = true,
    stdout_is = "tail" },
  { name = "a finalizer and an atexit handler print at exit",
    code = "import atexit\nclass A:\n    def __del__(self): print('del')\na = A()\natexit.register(print, 'atexit')\n",
    exit = 0, announced = true, stdout_is = "atexit\ndel\n" },
}

-- json-file: the daemon's log is the independent witness here (the
-- sandbox's own driver, "none", keeps nothing).
local OPTIONS = { validate = false, max_output = 2 * MB, timeout = 10, log_driver = "json-file" }

local function with_options(extra)
  local t = {}
  for k, v in pairs(OPTIONS) do t[k] = v end
  for k, v in pairs(extra) do t[k] = v end
  return t
end

-- Runs code through the sandbox's own pieces on a fresh container, then asks
-- the daemon what it saw: the wait status and the log, marker cut off.
local function with_daemon_account(code, options)
  local o = sandbox.normalize_options(options)
  local c <close> = assert(docker.create(sandbox.container_spec(o)))
  local result = { durations = {} }
  local out = assert(sandbox.attach(c, code, o, result))
  local _, announced = sandbox.finish(c, out, o, result)
  local waited = assert(c:wait(10))
  local log = assert(c:logs { max_bytes = o.max_output + 100 })
  local function cut(text)
    local at = text:find(out.stop_marker, 1, true)
    return at and text:sub(1, at - 1) or text
  end
  return result, announced, { exit_code = waited.status_code, stdout = cut(log.stdout), stderr = cut(log.stderr) }
end

T.test("the announced result is the daemon's own, for every kind of end", function()
  for _, prog in ipairs(PROGRAMS) do
    local r, announced, daemon = with_daemon_account(prog.code, OPTIONS)
    T.eq(r.error, nil, prog.name .. ": sandbox error")
    T.eq(announced, prog.announced, prog.name .. ": announced")
    T.eq(r.exit_code, prog.exit, prog.name .. ": exit code")
    T.eq(daemon.exit_code, prog.exit, prog.name .. ": the daemon's exit code")
    T.ok(r.stdout == daemon.stdout, prog.name .. ": stdout as in the daemon's log")
    T.ok(r.stderr == daemon.stderr, prog.name .. ": stderr as in the daemon's log")
    T.eq(r.oom_killed, false, prog.name .. ": no OOM")
  end
end)

-- What a result says about the program (no timings, no container identity).
local function observable(r)
  return { exit_code = r.exit_code, stdout = r.stdout, stderr = r.stderr,
           truncated_stdout = r.truncated.stdout, truncated_stderr = r.truncated.stderr,
           oom_killed = r.oom_killed, timed_out = r.timed_out, outcome = r.outcome, error = r.error }
end

T.test("cold and pooled give the same result, and the expected one", function()
  local p <close> = pool.new(with_options { size = 1 })
  for _, prog in ipairs(PROGRAMS) do
    local cold = sandbox.run(with_options { code = prog.code })
    local warm = p:run { code = prog.code }
    p:wait()
    for k, v in pairs(observable(cold)) do
      T.ok(observable(warm)[k] == v, ("%s: %s pooled = cold"):format(prog.name, k))
    end
    T.eq(cold.exit_code, prog.exit, prog.name .. ": exit code")
    if prog.stdout_is then T.eq(cold.stdout, prog.stdout_is, prog.name .. ": stdout") end
    if prog.stdout_has then T.contains(cold.stdout, prog.stdout_has, prog.name .. ": stdout") end
    if prog.stderr_has then T.contains(cold.stderr, prog.stderr_has, prog.name .. ": stderr") end
    if prog.stdout_len then T.eq(#cold.stdout, prog.stdout_len, prog.name .. ": stdout length") end
    T.ok(not cold.stdout:find(sandbox.MARKER .. "%x+:%d+\n") and not cold.stderr:find(sandbox.MARKER .. "%x+:%d+\n"),
         prog.name .. ": the real marker is not in the output")
  end
end)

T.test("a time-out still comes from the daemon (no marker), cold and pooled", function()
  local code = "import time\nprint('started', flush=True)\ntime.sleep(30)\n"
  local p <close> = pool.new(with_options { size = 1, timeout = 1 })
  for _, r in ipairs { sandbox.run(with_options { code = code, timeout = 1 }), p:run { code = code } } do
    T.eq(r.timed_out, true)
    T.eq(r.exit_code, 137)
    T.eq(r.stdout, "started\n")
    T.eq(r.outcome, "timeout")
  end
end)

T.test("a pooled container retired in the background is gone once the pool waits", function()
  local p <close> = pool.new(with_options { size = 1 })
  local r = p:run { code = "pass" }
  T.eq(r.exit_code, 0)
  p:wait()
  local _, _, status = docker.call("GET", "/containers/" .. r.container_id .. "/json")
  T.eq(status, 404, "removed")
end)

-- A marker that reaches one stream only, or one the program wrote itself with
-- the real nonce, announces nothing; whatever the program wrote after it is
-- kept (issue: stdout after a marker on stdout only was silently dropped).
T.test("output after a marker on one stream only is kept, cold and pooled", function()
  local code = table.concat({
    "import os, sys",
    "n = sys._getframe(1).f_globals['nonce']",
    "os.write(1, b'before\\n\\0sandprobe-done:' + n + b':0\\n')",
    "os.write(1, b'after\\n')",
    "os.write(2, b'err\\n')",
    "sys.exit(5)",
  }, "\n")
  local p <close> = pool.new(with_options { size = 1 })
  for _, r in ipairs { sandbox.run(with_options { code = code }), p:run { code = code } } do
    T.eq(r.error, nil)
    T.eq(r.exit_code, 5, "the daemon's exit code, not the forged 0")
    T.contains(r.stdout, "before\n", "stdout before the marker")
    T.contains(r.stdout, "after\n", "stdout after the marker")
    T.eq(r.stderr, "err\n")
    T.ok(not r.stdout:find(sandbox.MARKER .. "%x+:5\n"), "the loader's own last marker is not output")
  end
end)

T.test("NUL and invalid UTF-8 bytes are kept exactly, cold and pooled", function()
  local code = "import sys\nsys.stdout.buffer.write(b'visible\\x00HIDDEN\\xff\\xfe end')\nsys.stderr.buffer.write(b'\\x1b[31m\\xff')\n"
  local p <close> = pool.new(with_options { size = 1 })
  for _, r in ipairs { sandbox.run(with_options { code = code }), p:run { code = code } } do
    T.eq(r.stdout, "visible\0HIDDEN\255\254 end")
    T.eq(r.stderr, "\27[31m\255")
    T.eq(r.truncated.stdout, false)
  end
end)
