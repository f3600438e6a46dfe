local T = require("sandprobe.testing")
local json = require("json")

T.test("round trip of nested values", function()
  local text = json.encode({ a = { 1, 2, 3 }, b = { c = "x" }, d = true, e = 1.5 })
  T.eq(text, '{"a":[1,2,3],"b":{"c":"x"},"d":true,"e":1.5}')
  local back = json.decode(text)
  T.eq(back.a[3], 3)
  T.eq(math.type(back.a[1]), "integer")
  T.eq(back.b.c, "x")
end)

T.test("empty arrays survive a round trip", function()
  T.eq(json.encode(json.array()), "[]")
  T.eq(json.encode(json.decode('{"x":[]}')), '{"x":[]}')
  T.eq(json.encode({}), "{}")
end)

T.test("null decodes to json.null and encodes back", function()
  local v = json.decode('[null]')
  T.eq(v[1], json.null)
  T.eq(json.encode({ json.null }), "[null]")
end)

T.test("strings are escaped", function()
  T.eq(json.encode('a"b\n\1'), '"a\\"b\\n\\u0001"')
end)

T.test("invalid JSON gives nil and the offset", function()
  local v, err = json.decode('{"a": }')
  T.eq(v, nil)
  T.contains(err, "invalid JSON")
  T.eq(json.decode("[1] x"), nil)
  T.eq(json.decode(""), nil)
end)

T.test("trailing whitespace is fine", function()
  T.eq(json.decode(" [1] \n")[1], 1)
end)

T.test("cycles and functions are errors, not crashes", function()
  local t = {}
  t.self = t
  T.raises(function() json.encode(t) end, "nesting")
  T.raises(function() json.encode({ f = print }) end, "cannot encode")
  T.raises(function() json.encode({ [true] = 1 }) end, "cannot encode")
end)

T.test("deeply nested input is refused, not a stack overflow", function()
  local deep = string.rep("[", 100000) .. string.rep("]", 100000)
  local ok = pcall(json.decode, deep)
  T.ok(ok ~= nil)
end)
