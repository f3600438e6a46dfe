return {
  id = "selftest.status.fail_stop",
  title = "t:fail fails the scenario and stops it",
  tags = { "status", "quick", "expected-failure" },
  run = function(t)
    t:fail("stopped on purpose")
    t:note("unreachable", true)
  end,
}
