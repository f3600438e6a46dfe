return {
  id = "selftest.status.pass",
  title = "A scenario whose checks all hold passes",
  tags = { "status", "quick" },
  run = function(t)
    t:note("answer", 42)
    t:check(1 + 1 == 2, "arithmetic works")
  end,
}
