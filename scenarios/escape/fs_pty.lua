-- /dev/ptmx hands out ptys from one host-wide pool (kernel.pty.max, 4096 by
-- default, 1024 of them reserved): one sandbox opening every free pty
-- leaves every other devpts user on the host with ENOSPC, and the pty
-- counter is a covert channel. A program needs no terminal; the sandbox
-- masks /dev/pts (where /dev/ptmx points). Safe: one openpty, closed at once.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.pty",
  title = "No pty can be allocated (/dev/ptmx, /dev/pts)",
  tags = { "layer3", "fs", "dos", "isolation" },
  references = { "T1499", "T1611" },
  remediation = "Keep /dev/pts in the target's masked_paths (lua/sandprobe/targets/default.lua) (HostConfig.MaskedPaths: an empty read-only tmpfs over it).",
  run = function(t)
    local f = escape.facts(t, [=[
pty = need("pty")
def opened():
    a, b = pty.openpty()
    os.close(a); os.close(b)
def pts():
    try:
        return sorted(os.listdir("/dev/pts"))
    except OSError as e:
        return errname(e.errno)
report(openpty=try_(opened), ptmx=try_(lambda: os.close(os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY))),
       pts=pts())
]=])
    t:note("openpty", f.openpty)
    t:note("open(/dev/ptmx)", f.ptmx)
    t:note("/dev/pts", f.pts)
    t:check(f.openpty ~= "ok", ("openpty fails (%s)"):format(f.openpty))
    t:check(f.ptmx ~= "ok", ("/dev/ptmx cannot be opened (%s)"):format(f.ptmx))
    t:check(type(f.pts) ~= "table" or #f.pts == 0, "/dev/pts shows no device (no ptmx, no pty of anyone)")
  end,
}
