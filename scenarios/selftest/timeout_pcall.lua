return {
  id = "selftest.timeout.pcall",
  title = "A pcall loop cannot swallow the time-out",
  tags = { "timeout", "expected-failure" },
  timeout = 1,
  run = function(t)
    t:check(true, "started")
    while true do
      pcall(function() while true do end end)
    end
  end,
}
