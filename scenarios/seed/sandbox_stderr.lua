-- V2: stdout and stderr are captured separately, and an uncaught
-- exception's traceback lands in stderr.
return {
  id = "seed.sandbox.stderr",
  title = "sandbox.run: stderr is captured apart from stdout",
  tags = { "output", "integration" },
  requires = { "docker" },
  run = function(t)
    -- guard off: sys is out of the run-time guard's reach, and this is about the streams
    local r = sandbox.run { validate = false, guard = false, code = [[
import sys
print("to stdout")
sys.stderr.write("to stderr\n")
raise RuntimeError("strategy broke")
]] }
    t:note("stderr", r.stderr)
    t:check(r.stdout == "to stdout\n", "stdout holds only stdout")
    t:check(r.stderr:find("^to stderr\n"), "stderr holds what was written to it")
    t:check(r.stderr:find("RuntimeError: strategy broke", 1, true), "and the traceback")
  end,
}
