-- V2: output over the cap is cut at the cap and flagged, not lost silently.
return {
  id = "seed.sandbox.output_cap",
  title = "sandbox.run: output beyond max_output is truncated with the flag set",
  tags = { "output", "integration" },
  requires = { "docker" },
  run = function(t)
    local cap = 64 * 1024
    local r = sandbox.run { max_output = cap, code = "print('y' * 200000)\nprint('done')\n" }
    t:note("stdout_bytes", #r.stdout)
    t:check(r.exit_code == 0, "the program itself succeeded")
    t:check(r.truncated.stdout == true, "truncated.stdout is set")
    t:check(#r.stdout == cap, "exactly the cap is kept")
    t:check(r.truncated.stderr == false, "stderr is not flagged")
    local small = sandbox.run { max_output = cap, code = "print('short')\n" }
    t:check(small.truncated.stdout == false and small.stdout == "short\n", "output under the cap is whole")
  end,
}
