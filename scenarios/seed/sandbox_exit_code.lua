-- V2: the program's exit code comes back as it is.
return {
  id = "seed.sandbox.exit_code",
  title = "sandbox.run: non-zero exit codes are propagated",
  tags = { "integration" },
  requires = { "docker" },
  run = function(t)
    local raised = sandbox.run { code = "raise ValueError('bad parameter')\n" }
    t:check(raised.exit_code == 1 and raised.outcome == "error", "an exception exits 1 (outcome error)")
    local chosen = sandbox.run { validate = false, code = "raise SystemExit(42)\n" }
    t:check(chosen.exit_code == 42, "SystemExit(42) exits 42")
    local clean = sandbox.run { code = "print('fine')\n" }
    t:check(clean.exit_code == 0 and clean.outcome == "ok", "a clean run exits 0")
    t:note("exit_codes", ("%s %s %s"):format(raised.exit_code, chosen.exit_code, clean.exit_code))
  end,
}
