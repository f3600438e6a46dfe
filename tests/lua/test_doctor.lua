-- The doctor's checks as a Lua API (for `sandprobe doctor` and seed.env.*).
local T = require("sandprobe.testing")
local doctor = require("sandprobe.doctor")

T.test("checks() gives one well-formed record per check, in order", function()
  local results = doctor.checks()
  T.ok(#results >= #doctor.ids + 1, "the fixed checks, the default bridge, then one per runtime")
  for i, r in ipairs(results) do
    if i <= #doctor.ids then
      T.eq(r.id, doctor.ids[i])
    elseif i == #doctor.ids + 1 then
      T.eq(r.id, "bridge")
    else
      T.ok(r.id:match("^runtime%.[%w_.%-]+$"), r.id)
    end
    T.eq(type(r.name), "string")
    T.eq(type(r.ok), "boolean")
    T.eq(type(r.detail), "string")
    if not r.ok then T.eq(type(r.remedy), "string", r.id .. " remedy") end
  end
end)

T.test("this machine passes every check", function()
  for _, r in ipairs(doctor.checks()) do
    T.ok(r.ok, r.id .. ": " .. tostring(r.detail))
  end
end)

T.test("check(id) runs one check", function()
  local r = doctor.check("hello")
  T.eq(r.id, "hello")
  T.contains(r.detail, "Hello from Docker")
  T.raises(function() doctor.check("nope") end, "unknown doctor check 'nope'")
end)

T.test("all_ok sees a failure", function()
  T.eq(doctor.all_ok { { ok = true }, { ok = false } }, false)
  T.eq(doctor.all_ok { { ok = true } }, true)
end)

return T
