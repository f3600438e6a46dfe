return {
  id = "selftest.status.error_runtime",
  title = "A Lua error gives status error with file and line",
  tags = { "status", "quick", "expected-failure" },
  run = function(t)
    local missing = nil
    t:check(true, "before the error")
    return missing.field
  end,
}
