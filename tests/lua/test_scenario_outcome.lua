-- How a scenario's end becomes a status and a message.
local T = require("sandprobe.testing")
local scenario = require("sandprobe.scenario")

T.test("a table raised as an error shows its contents", function()
  local t = scenario.new_context({})
  local status, message = scenario.outcome(t, false, { code = 42, why = "denied" })
  T.eq(status, "error")
  T.eq(message, 'error object {"code":42,"why":"denied"}')
end)

T.test("an error table's __tostring is not run (it is scenario code)", function()
  local ran = false
  local err = setmetatable({ code = 1 }, { __tostring = function() ran = true; return "forged" end })
  local _, message = scenario.outcome(scenario.new_context({}), false, err)
  T.eq(ran, false)
  T.eq(message, 'error object {"code":1}')
end)

T.test("a cyclic error table still gives a message", function()
  local err = {}
  err.self = err
  local status, message = scenario.outcome(scenario.new_context({}), false, err)
  T.eq(status, "error")
  T.contains(message, "error object (not encodable")
end)

T.test("a string error is kept as it is", function()
  local _, message = scenario.outcome(scenario.new_context({}), false, "x.lua:3: boom")
  T.eq(message, "x.lua:3: boom")
end)
