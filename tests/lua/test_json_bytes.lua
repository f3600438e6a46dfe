-- json.encode keeps every byte: NUL escaped, invalid UTF-8 as text with
-- U+FFFD beside <key>_base64 and <key>_invalid_utf8; the worker channel
-- (binary = true) round-trips any bytes exactly.
local T = require("sandprobe.testing")
local bytes = require("bytes")
local json = require("json")

T.test("NUL is escaped, not a cut", function()
  T.eq(json.encode({ s = "visible\0HIDDEN" }), '{"s":"visible\\u0000HIDDEN"}')
end)

T.test("invalid UTF-8 in an object: text, base64 and a flag", function()
  T.eq(json.encode({ s = "x\255y" }), '{"s":"x\239\191\189y","s_base64":"eP95","s_invalid_utf8":true}')
end)

T.test("invalid UTF-8 in an array: a bytes object", function()
  T.eq(json.encode({ "ok", "\255" }), '["ok",{"text":"\239\191\189","base64":"/w==","invalid_utf8":true}]')
end)

T.test("invalid UTF-8 in a key is replaced", function()
  T.eq(json.encode({ ["k\255"] = 1 }), '{"k\239\191\189":1}')
end)

T.test("valid UTF-8 and controls need no copy", function()
  T.eq(json.encode({ s = "\195\169\27[31m" }), '{"s":"\195\169\\u001b[31m"}')
end)

T.test("binary mode round-trips every byte, nested", function()
  local value = { a = "vis\0HID", b = "x\255y", list = { "\0", "\254", "plain" }, n = 1 }
  local back = json.decode(json.encode(value, { binary = true }), { binary = true })
  T.eq(back.a, value.a)
  T.eq(back.b, value.b)
  T.eq(back.list[1], "\0")
  T.eq(back.list[2], "\254")
  T.eq(back.list[3], "plain")
  T.eq(back.n, 1)
end)

T.test("binary mode: every byte value survives", function()
  local all = {}
  for i = 0, 255 do all[#all + 1] = string.char(i) end
  local s = table.concat(all)
  T.eq(json.decode(json.encode({ s = s }, { binary = true }), { binary = true }).s, s)
  local plain = json.decode(json.encode({ s = s }))
  T.eq(bytes.unbase64(plain.s_base64), s, "and in the plain encoding through <key>_base64")
end)

T.test("a table that only looks like a wrapper stays a table", function()
  local back = json.decode(json.encode({ t = { ["$base64"] = "not base64!" } }, { binary = true }), { binary = true })
  T.eq(back.t["$base64"], "not base64!")
end)

T.test("invalid UTF-8 whose sibling names are taken: a bytes object, no repeated key", function()
  local text = json.encode({ s = "\255", s_base64 = "mine" })
  T.eq(text, '{"s":{"text":"\239\191\189","base64":"/w==","invalid_utf8":true},"s_base64":"mine"}')
end)

T.test("a key holding NUL is shown, not cut (no duplicate keys)", function()
  T.eq(json.encode({ ["k\0x"] = 1, k = 2 }), '{"k":2,"k\226\144\128x":1}')
end)

T.test("values are read raw: a table's __index does not run", function()
  local ran = false
  local t = setmetatable({ a = 1 }, { __index = function() ran = true end })
  T.eq(json.encode(t), '{"a":1}')
  T.eq(ran, false)
end)
