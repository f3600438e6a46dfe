return {
  id = "selftest.args.values",
  title = "Arguments come from pack defaults and --set",
  tags = { "args", "quick" },
  run = function(t)
    t:note("greeting", t.args.greeting)
    t:note("repeat_count", t.args.repeat_count)
    t:check(type(t.args.repeat_count) == "number", "numeric default stays a number")
    local want = t.args.expect_greeting or "hello"
    t:check(t.args.greeting == want, "greeting is " .. want)
  end,
}
