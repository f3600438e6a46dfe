local T = require("sandprobe.testing")
local guard = require("sandprobe.guard")

T.test("results pass through", function()
  local ok, a, b = guard.call(5, function(x, y) return x + y, "z" end, 1, 2)
  T.eq(ok, true)
  T.eq(a, 3)
  T.eq(b, "z")
end)

T.test("errors come back with message and traceback", function()
  local ok, msg, tb = guard.call(5, function() error("boom") end)
  T.eq(ok, false)
  T.contains(msg, "boom")
  T.contains(tb, "stack traceback")
end)

T.test("non-string error values come back untouched", function()
  local sentinel = {}
  local ok, v = guard.call(5, function() error(sentinel) end)
  T.eq(ok, false)
  T.eq(v, sentinel)
end)

T.test("an endless loop times out", function()
  local ok, msg = guard.call(0.2, function() while true do end end)
  T.eq(ok, false)
  T.contains(msg, "timed out")
end)

T.test("pcall cannot swallow the time-out", function()
  local ok, msg = guard.call(0.2, function()
    while true do pcall(function() while true do end end) end
  end)
  T.eq(ok, false)
  T.contains(msg, "timed out")
end)

T.test("the hook is removed after the call", function()
  guard.call(0.05, function() end)
  local n = 0
  for i = 1, 3e6 do n = n + i end
  T.ok(n > 0)
  T.eq(guard.remaining(), nil)
end)

T.test("bad arguments are argument errors", function()
  T.raises(function() guard.call(-1, function() end) end, "timeout must be positive")
  T.raises(function() guard.call(1, 42) end, "function expected")
end)
