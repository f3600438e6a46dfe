-- CVE-2019-5736: a container process that can open the runtime's binary
-- through /proc/self/exe (or /proc/<runc pid>/exe) for writing overwrites
-- runc on the host. Safe: files are opened for writing without O_TRUNC and
-- closed without a byte written; the sandbox's root is read-only anyway.
local escape = require("escape")

return escape.scenario {
  id = "escape.runtime.cve_2019_5736",
  title = "/proc/self/exe and the interpreter cannot be opened for writing (runc overwrite)",
  tags = { "layer3", "runtime", "critical" },
  references = { "CVE-2019-5736", "T1611" },
  remediation = "Keep ReadonlyRootfs (read_only = true), a non-root user (the default: a fresh uid per container) and a runc >= 1.0-rc7; "
    .. "never run the sandbox as root.",
  run = function(t)
    local f = escape.facts(t, [=[
paths = ["/proc/self/exe", "/proc/1/exe", os.path.realpath("/proc/self/exe")]
out = {}
for p in paths:
    try:
        fd = os.open(p, os.O_WRONLY)
        os.close(fd)
        out[p] = "opened"
    except OSError as e:
        out[p] = errname(e.errno)
report(out=out, uid=os.getuid(), exe=os.path.realpath("/proc/self/exe"))
]=])
    t:note("opened_for_writing", f.out)
    t:check(f.uid ~= 0, "the program does not run as root (uid " .. tostring(f.uid) .. ")")
    for path, answer in pairs(f.out) do
      t:check(answer ~= "opened", path .. " cannot be opened for writing (" .. answer .. ")")
    end
  end,
}
