-- V2: a strategy with a syntax error Layer 1 lets through (it reads tokens,
-- not a syntax tree) is reported by CPython in the container, naming the
-- strategy's own file name and line.
return {
  id = "seed.sandbox.syntax_error",
  title = "sandbox.run: a syntax error in the strategy is reported",
  tags = { "integration" },
  requires = { "docker" },
  run = function(t)
    local r = sandbox.run { code = "x = 1\ny = = 2\nprint(x)\n" }
    t:note("stderr", r.stderr)
    t:check(not r.rejected, "Layer 1 accepts the tokens")
    t:check(r.exit_code == 1, "exit code 1")
    t:check(r.stderr:find("SyntaxError", 1, true), "stderr names SyntaxError")
    t:check(r.stderr:find('File "<strategy>", line 2', 1, true), "and the strategy's line 2")
    t:check(r.stdout == "", "nothing ran")
  end,
}
