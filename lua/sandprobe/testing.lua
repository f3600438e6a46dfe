-- A small harness for Lua-level tests (tests/lua/test_*.lua), run inside the
-- engine by `sandprobe selftest FILE`:
--   local T = require("sandprobe.testing")
--   T.test("json round trip", function() T.eq(json.decode("[1]")[1], 1) end)
-- The file registers tests; selftest runs them and prints "N passed, N failed".
local M = { tests = {} }

function M.test(name, fn)
  M.tests[#M.tests + 1] = { name = name, fn = fn }
end

local function fail(message, level)
  error(message, (level or 1) + 2)
end

local function show(v)
  if type(v) == "string" then return ("%q"):format(v) end
  return tostring(v)
end

function M.eq(got, want, what)
  if got ~= want then
    fail(("%sexpected %s, got %s"):format(what and (what .. ": ") or "", show(want), show(got)))
  end
end

function M.ok(cond, what)
  if not cond then fail(what or "expected a true value") end
  return cond
end

-- A new empty folder under the system's temporary folder; the caller
-- removes what it puts there.
function M.tempdir()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p '" .. dir .. "'"), "cannot make a temporary folder")
  return dir
end

-- Asserts that `text` contains the plain string `needle`.
function M.contains(text, needle, what)
  if type(text) ~= "string" or not text:find(needle, 1, true) then
    fail(("%sexpected %s to contain %s"):format(what and (what .. ": ") or "", show(text), show(needle)))
  end
end

-- Asserts that fn raises an error whose message contains `needle`.
function M.raises(fn, needle)
  local ok, err = pcall(fn)
  if ok then fail("expected an error") end
  if needle and not tostring(err):find(needle, 1, true) then
    fail(("expected an error containing %s, got %s"):format(show(needle), show(tostring(err))))
  end
  return err
end

-- Runs every registered test; returns the number that failed.
function M.run(out)
  out = out or io.stdout
  local passed, failed = 0, 0
  for _, t in ipairs(M.tests) do
    local ok, err = xpcall(t.fn, debug.traceback)
    if ok then
      passed = passed + 1
      out:write("ok   ", t.name, "\n")
    else
      failed = failed + 1
      out:write("FAIL ", t.name, "\n  ", tostring(err):gsub("\n", "\n  "), "\n")
    end
  end
  out:write(("%d passed, %d failed\n"):format(passed, failed))
  return failed
end

return M
