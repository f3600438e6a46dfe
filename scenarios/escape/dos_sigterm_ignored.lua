-- A program that ignores SIGTERM and loops must still die at the time
-- limit (SIGKILL, exit 137). Safe: two seconds of one CPU.
local escape = require("escape")

return escape.scenario {
  id = "escape.dos.sigterm_ignored",
  title = "A program ignoring SIGTERM dies at the time limit",
  tags = { "layer5", "dos" },
  references = { "T1496", "T1562" },
  remediation = "Keep the time limit (timeout) and the kill at its end (SIGKILL, not SIGTERM).",
  run = function(t)
    local timeout = 2
    local r = escape.run([=[
import signal
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
print("ignoring", flush=True)
while True:
    pass
]=], { timeout = timeout })
    t:note("timed_out", r.timed_out)
    t:note("exit_code", r.exit_code)
    t:note("seconds", r.durations.total)
    t:check(r.stdout:find("ignoring", 1, true), "the program ran and ignored SIGTERM")
    t:check(r.timed_out, "the run timed out")
    t:check(r.exit_code == 137, "it was killed (exit " .. tostring(r.exit_code) .. ")")
    t:check(r.durations.total < timeout + 3, ("it was over within 3 s of the limit (%.2f s)"):format(r.durations.total))
  end,
}
