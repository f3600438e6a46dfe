-- Layer 3: a walk of the whole file system (but /proc and /sys, which
-- escape.proc.* and escape.sys.* cover) finds every path the program could
-- write; only /tmp and the harmless character devices every container has
-- may be writable. Safe: access() and lstat() only.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.writable_paths",
  title = "Only /tmp is writable (a walk of the whole file system)",
  tags = { "layer3", "filesystem", "critical" },
  references = { "T1611", "T1222" },
  remediation = "Keep read_only = true (ReadonlyRootfs) and tmpfs = {\"/tmp:rw,noexec,nosuid,size=64m\"}; no "
    .. "volumes or bind mounts; ipc = \"none\" (no /dev/shm).",
  timeout = 60,
  run = function(t)
    local f = escape.facts(t, [=[
import stat
HARMLESS = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx", "/dev/pts/ptmx"}
writable, seen = [], 0
for root, dirs, files in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if d not in ("proc", "sys")]
    for name in dirs + files:
        p = os.path.join(root, name)
        seen += 1
        if p in HARMLESS or p == "/tmp" or p.startswith("/tmp/"):
            continue
        try:
            if stat.S_ISLNK(os.lstat(p).st_mode):
                continue
        except OSError:
            continue
        if os.access(p, os.W_OK):
            writable.append(p)
report(seen=seen, writable=writable[:100], count=len(writable), tmp=os.access("/tmp", os.W_OK))
]=], { timeout = 50 })
    t:note("paths_checked", f.seen)
    t:note("writable", table.concat(f.writable, "\n"))
    t:check(f.seen > 1000, ("the walk saw %d paths"):format(f.seen))
    t:check(f.tmp, "/tmp is writable (the one place meant to be)")
    t:check(f.count == 0, ("%d paths besides /tmp are writable: %s"):format(f.count, table.concat(f.writable, ", ")))
  end,
}
