-- A thread bomb must stop at the pids limit, not at the host's. Threads
-- are started until one fails; each sleeps, so the bomb costs no CPU.
-- Safe: bounded by the sandbox's own pids cgroup.
local escape = require("escape")

return escape.scenario {
  id = "escape.dos.thread_bomb",
  title = "A thread bomb stops at the pids limit",
  tags = { "layer5", "dos", "critical" },
  references = { "T1499.004", "T1496" },
  remediation = "Keep pids_limit = 64 (PidsLimit).",
  run = function(t)
    local o = escape.options()
    local f = escape.facts(t, [=[
import threading, time
stop = threading.Event()
started, error = 0, None
for i in range(100000):
    try:
        threading.Thread(target=stop.wait, daemon=True).start()
        started += 1
    except (RuntimeError, OSError) as e:
        error = "%s: %s" % (type(e).__name__, e)
        break
try:
    pids_max = open("/sys/fs/cgroup/pids/pids.max").read().strip()
except OSError:
    pids_max = open("/sys/fs/cgroup/pids.max").read().strip()
stop.set()
report(started=started, error=error, pids_max=pids_max)
]=], { timeout = 30 })
    t:note("threads_started", f.started)
    t:note("error", f.error)
    t:note("pids.max", f.pids_max)
    t:check(f.error ~= nil, "thread creation failed at some point")
    t:check(tostring(f.pids_max) == tostring(o.pids_limit), ("the cgroup's pids.max is the limit %s (%s)"):format(o.pids_limit, f.pids_max))
    t:check(f.started < o.pids_limit, ("the bomb stopped below the pids limit (%d threads)"):format(f.started))
  end,
}
