-- The CPU quota must hold under several busy threads (hashing large
-- buffers releases Python's GIL, so four threads can use four CPUs when
-- nothing stops them). CPU time over wall time must stay near cpus.
-- Safe: two seconds of bounded CPU.
local escape = require("escape")

return escape.scenario {
  id = "escape.dos.cpu_quota",
  title = "Several busy threads stay within the CPU quota",
  tags = { "layer5", "dos" },
  references = { "T1496" },
  remediation = "Keep cpus = 1.0 (NanoCpus).",
  run = function(t)
    local o = escape.options()
    local f = escape.facts(t, [=[
import hashlib, threading, time
data = b"x" * (8 << 20)
end = time.monotonic() + 2.0
def burn():
    while time.monotonic() < end:
        hashlib.sha256(data).digest()
def throttled():
    for p in ("/sys/fs/cgroup/cpu/cpu.stat", "/sys/fs/cgroup/cpu.stat"):
        try:
            return dict(l.split() for l in open(p)).get("nr_throttled")
        except OSError:
            pass
t0 = throttled()
c0, w0 = time.process_time(), time.monotonic()
threads = [threading.Thread(target=burn) for _ in range(4)]
for th in threads: th.start()
for th in threads: th.join()
cpu, wall = time.process_time() - c0, time.monotonic() - w0
quota = None
for p in ("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu.max"):
    try:
        quota = open(p).read().strip(); break
    except OSError:
        pass
report(cpu=cpu, wall=wall, quota=quota, cpus=os.cpu_count(), throttled_before=t0, throttled_after=throttled())
]=], { timeout = 30 })
    local ratio = f.cpu / f.wall
    t:note("cpu_seconds", f.cpu)
    t:note("wall_seconds", f.wall)
    t:note("cpu_per_wall", ratio)
    t:note("quota", f.quota)
    t:note("nr_throttled", ("%s -> %s"):format(tostring(f.throttled_before), tostring(f.throttled_after)))
    t:check(f.cpu > 0.3, ("the threads did work (%.2f s of CPU)"):format(f.cpu))
    t:check(ratio <= o.cpus * 1.15, ("CPU time per wall second %.2f stays within the quota %.2f (+15%%)"):format(ratio, o.cpus))
  end,
}
