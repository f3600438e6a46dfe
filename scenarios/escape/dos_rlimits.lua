-- Limits the kernel keeps per process: a core dump of a crashing sandbox
-- goes to the host's core_pattern (a helper running on the host when it is
-- "|/path"), and open files count against the host-wide file table
-- (fs.file-max). Neither may be left to the daemon's defaults. Safe: the
-- probe raises its own limits (refused) and opens /dev/null until EMFILE.
local escape = require("escape")

return escape.scenario {
  id = "escape.dos.rlimits",
  title = "No core dumps and a bounded number of open files, whatever the daemon's defaults",
  tags = { "layer5", "dos" },
  references = { "T1499", "T1005" },
  remediation = "Keep ulimits = {\"core=0:0\", \"nofile=4096:4096\"} (HostConfig.Ulimits).",
  run = function(t)
    local f = escape.facts(t, [=[
import resource
core = resource.getrlimit(resource.RLIMIT_CORE)
nofile = resource.getrlimit(resource.RLIMIT_NOFILE)
try:
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)); raise_core = "ok"
except (ValueError, OSError) as e:
    raise_core = type(e).__name__
fds, answer = [], "no limit met"
for _ in range(1 << 20):
    try:
        fds.append(os.open("/dev/null", os.O_RDONLY))
    except OSError as e:
        answer = errname(e.errno); break
for fd in fds:
    os.close(fd)
report(core=core, nofile=nofile, raise_core=raise_core, opened=len(fds), answer=answer)
]=])
    t:note("RLIMIT_CORE", f.core)
    t:note("RLIMIT_NOFILE", f.nofile)
    t:note("files_opened", f.opened)
    t:check(f.core[2] == 0, "core dumps are off for good (hard limit " .. tostring(f.core[2]) .. ")")
    t:check(f.raise_core ~= "ok", "the program cannot raise its core limit (" .. f.raise_core .. ")")
    t:check(f.nofile[2] >= 0 and f.nofile[2] <= 65536, ("open files are bounded (hard limit %d)"):format(f.nofile[2]))
    t:check(f.answer == "EMFILE", ("opening files stops with EMFILE (%s after %d)"):format(f.answer, f.opened))
  end,
}
