return {
  id = "selftest.status.skip",
  title = "t:skip skips with a reason",
  tags = { "status", "quick" },
  run = function(t)
    t:skip("nothing to do here")
  end,
}
