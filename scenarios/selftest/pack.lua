-- Pure-Lua scenarios the test suite uses to exercise the runner itself: every
-- status, time-outs, arguments, evidence, and escapes from the scenario
-- environment. Left out of runs that name no selection.
return {
  name = "selftest",
  description = "Scenarios that exercise the engine's runner (no Docker needed)",
  version = "1",
  default = false,
  defaults = { greeting = "hello", repeat_count = 2 },
}
