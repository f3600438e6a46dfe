local helper = require("selftest_helper")

return {
  id = "selftest.require.pack_lib",
  title = "A scenario requires a module from its pack's lib/ folder",
  tags = { "require", "quick" },
  run = function(t)
    t:check(helper.double(21) == 42, "pack module works")
  end,
}
