return {
  id = "selftest.timeout.coroutine",
  title = "An endless loop inside a coroutine still times out",
  tags = { "timeout", "expected-failure" },
  timeout = 1,
  run = function(t)
    t:check(true, "started")
    local co = coroutine.wrap(function() while true do end end)
    co()
  end,
}
