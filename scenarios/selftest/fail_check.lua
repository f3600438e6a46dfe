return {
  id = "selftest.status.fail_check",
  title = "A failed check fails the scenario but lets it go on",
  tags = { "status", "quick", "expected-failure" },
  remediation = "Nothing to fix: this scenario fails on purpose.",
  run = function(t)
    t:check(false, "first check fails")
    t:note("reached_after_failed_check", true)
    t:check(true, "second check holds")
  end,
}
