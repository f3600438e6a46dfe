-- The scenario environment (lua/sandprobe/env.lua): the allow-list, the
-- guarded require, the loader's messages.
local T = require("sandprobe.testing")
local env = require("sandprobe.env")

local function run_in(e, source)
  local chunk = assert(load(source, "=test", "t", e))
  return pcall(chunk)
end

T.test("no io, os reduced to time functions, for an untrusted scenario", function()
  local e = env.new {}
  local ok, err = run_in(e, "return io")
  T.ok(not ok)
  T.contains(err, "undeclared global 'io'")
  local ok2, exec = run_in(e, "return os.execute")
  T.ok(ok2)
  T.eq(exec, nil)
  local ok3, t = run_in(e, "return os.time()")
  T.ok(ok3 and type(t) == "number")
end)

T.test("a trusted scenario gets io and os", function()
  local e = env.new { trusted = true }
  local ok, io_value = run_in(e, "return io")
  T.ok(ok)
  T.eq(io_value, io)
end)

T.test("globals cannot be assigned", function()
  local ok, err = run_in(env.new {}, "x = 1")
  T.ok(not ok)
  T.contains(err, "assignment to undeclared global 'x'")
end)

T.test("shared tables are read-only", function()
  local ok, err = run_in(env.new {}, "string.upper = nil")
  T.ok(not ok)
  T.ok(err ~= nil)
end)

T.test("require: scenario-safe library modules only", function()
  local e = env.new {}
  local ok = run_in(e, "return require('sandprobe.lib.prometheus_text')")
  T.ok(ok, "lib/ is scenario-safe")
  -- Modules that reach the host are not handed out.
  for _, name in ipairs({ "sandprobe.files", "sandprobe.cli", "sandprobe.runner", "sandprobe.core" }) do
    local refused = run_in(e, ("return require(%q)"):format(name))
    T.ok(not refused, name .. " must not be requirable by a scenario")
  end
  local bad, err = run_in(e, "return require('../etc/passwd')")
  T.ok(not bad)
  T.contains(err, "bad module name")
end)

T.test("load_file names the chunk by its last two path parts and reports a missing file", function()
  local dir = os.getenv("SANDPROBE_TESTS") .. "/lua"
  local chunk, err = env.load_file(dir .. "/does_not_exist.lua", {})
  T.eq(chunk, nil)
  T.contains(err, "does_not_exist.lua")
  local chunk2, err2 = env.load_file(dir, {}) -- a directory
  T.eq(chunk2, nil)
  T.contains(err2, "cannot read")
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write("error('boom')\n")
  f:close()
  local chunk3 = assert(env.load_file(path, env.new {}))
  local ok, raised = pcall(chunk3)
  os.remove(path)
  T.ok(not ok)
  local short = path:match("([^/]+/[^/]+)$")
  T.contains(raised, short .. ":1: boom")
  T.ok(not raised:find(path, 1, true) or path == short, "the full path is not in the message")
end)
