-- CVE-2024-21626 ("Leaky Vessels"): runc leaked a file descriptor of the
-- host's /sys/fs/cgroup into the container; a working directory of
-- /proc/self/fd/N then pointed at the host. The probe lists every open
-- descriptor and the working directory; nothing may point at a directory or
-- file outside the container's own mounts.
local escape = require("escape")

return escape.scenario {
  id = "escape.runtime.cve_2024_21626",
  title = "No leaked file descriptor or working directory points outside the container",
  tags = { "layer3", "runtime", "critical" },
  references = { "CVE-2024-21626", "T1611" },
  remediation = "Update runc to >= 1.1.12 (Debian: the runc package of a current point release); "
    .. "keep working_dir = \"/tmp\".",
  run = function(t)
    local f = escape.facts(t, [=[
import stat
fds = {}
for name in os.listdir("/proc/self/fd"):
    try:
        target = os.readlink("/proc/self/fd/" + name)
        mode = os.fstat(int(name)).st_mode
        kind = "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"
    except OSError as e:
        target, kind = "?" + errname(e.errno), "gone"
    fds[name] = [target, kind]
report(fds=fds, cwd=os.getcwd(), cwd_link=os.readlink("/proc/self/cwd"), root_link=os.readlink("/proc/self/root"))
]=])
    t:note("descriptors", f.fds)
    t:note("cwd", f.cwd)
    t:check(f.cwd == "/tmp" and f.cwd_link == "/tmp", "the working directory is the sandbox's /tmp (" .. f.cwd_link .. ")")
    t:check(f.root_link == "/", "the root is the container's own (" .. f.root_link .. ")")
    for fd, d in pairs(f.fds) do
      local target, kind = d[1], d[2]
      -- Pipes, sockets and anonymous inodes are the loader's streams and the
      -- listing itself; any directory or regular file is a leak.
      t:check(kind ~= "dir" and kind ~= "file" or target:match("^/proc/%d+/fd$") ~= nil,
        ("descriptor %s (%s, %s) is no directory or file of the host"):format(fd, target, kind))
    end
  end,
}
