-- Inode exhaustion: tmpfs inodes are kernel memory; they must be charged
-- to the sandbox's memory cgroup (so the memory limit bounds them), not to
-- the host. 20000 empty files are made and the cgroup's usage compared.
-- Safe: bounded by the tmpfs and the memory limit.
local escape = require("escape")

return escape.scenario {
  id = "escape.dos.inodes",
  title = "Inodes the sandbox makes are charged to its memory cgroup",
  tags = { "layer5", "dos" },
  references = { "T1499.001" },
  remediation = "Keep the memory limit (memory = \"512m\") on a kernel that accounts kernel memory to the cgroup "
    .. "(cgroup v2, or v1 with kmem accounting); add nr_inodes= to the /tmp tmpfs for a hard cap.",
  run = function(t)
    local f = escape.facts(t, [=[
def usage():
    for p in ("/sys/fs/cgroup/memory/memory.usage_in_bytes", "/sys/fs/cgroup/memory.current"):
        try:
            return int(open(p).read())
        except OSError:
            pass
    return None
def limit():
    for p in ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max"):
        try:
            return open(p).read().strip()
        except OSError:
            pass
before = usage()
if before is None:
    report(skip="no memory cgroup file is readable in the sandbox")
    raise SystemExit(0)
os.mkdir("/tmp/inodes")
for i in range(20000):
    os.close(os.open("/tmp/inodes/%d" % i, os.O_CREAT | os.O_WRONLY, 0o600))
after = usage()
report(before=before, after=after, limit=limit(), files=len(os.listdir("/tmp/inodes")))
]=], { timeout = 30 })
    local delta = f.after - f.before
    t:note("usage_before", f.before)
    t:note("usage_after", f.after)
    t:note("memory_limit", f.limit)
    t:check(f.files == 20000, "20000 files were made")
    t:check(delta >= 20000 * 256, ("the cgroup was charged for them (%d bytes, at least 256 per inode)"):format(delta))
    t:check(f.limit ~= "max" and tonumber(f.limit) ~= nil and tonumber(f.limit) < (1 << 40),
      "the memory cgroup has a limit (" .. tostring(f.limit) .. ")")
  end,
}
