return {
  id = "selftest.timeout.loop",
  title = "An endless loop ends as an error when its time is up",
  tags = { "timeout", "expected-failure" },
  timeout = 1,
  run = function(t)
    t:check(true, "started")
    while true do end
  end,
}
