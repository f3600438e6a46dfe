return {
  id = "selftest.status.no_checks",
  title = "A scenario that checks nothing is an error",
  tags = { "status", "quick", "expected-failure" },
  run = function(t)
    t:note("did", "nothing")
  end,
}
