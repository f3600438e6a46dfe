-- json.decode on ordinary documents (decoding used to reject every input).
local T = require("sandprobe.testing")
local json = require("json")

T.test("decode arrays, objects, scalars", function()
  T.eq(json.decode("[1]")[1], 1)
  T.eq(json.decode('{"a":"b:c"}').a, "b:c")
  T.eq(json.decode(' "x" \n'), "x")
  T.eq(json.decode(json.encode({ k = { 1, 2 } })).k[2], 2)
end)

T.test("decode rejects trailing text and embedded NULs", function()
  local v, err = json.decode("[1] x")
  T.eq(v, nil)
  T.contains(err, "invalid JSON at offset 4")
  T.eq(json.decode("[1]\0[2]"), nil)
  T.eq(json.decode(""), nil)
end)
