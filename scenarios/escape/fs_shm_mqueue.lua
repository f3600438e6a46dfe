-- /dev/shm and /dev/mqueue are writable in a default Docker container
-- (and /dev/shm allows mapping executable memory from a file on some
-- setups); the sandbox promises only /tmp. Safe: access() and an O_EXCL
-- create that is removed at once should it succeed.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.shm_mqueue",
  title = "/dev/shm and /dev/mqueue are absent or read-only",
  tags = { "layer3", "filesystem", "isolation" },
  references = { "T1559", "T1222" },
  remediation = "Keep ipc = \"none\" (IpcMode none: no /dev/shm) and the read-only tmpfs sandbox.lua mounts over "
    .. "/dev/mqueue.",
  run = function(t)
    local f = escape.facts(t, [=[
out = {}
for d in ["/dev/shm", "/dev/mqueue"]:
    p = d + "/sandprobe-escape-probe"
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600); os.close(fd); os.unlink(p); out[d] = "created"
    except OSError as e:
        out[d] = errname(e.errno)
report(out=out, exists={d: os.path.exists(d) for d in ["/dev/shm", "/dev/mqueue"]})
]=])
    t:note("create", f.out)
    t:note("exists", f.exists)
    for d, answer in pairs(f.out) do t:check(answer ~= "created", ("nothing can be created in %s (%s)"):format(d, answer)) end
  end,
}
