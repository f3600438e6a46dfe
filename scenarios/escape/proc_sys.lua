-- /proc/sys writable would let a container tune the host's kernel
-- (kernel.*, vm.*, fs.* are not namespaced). Safe: files are opened for
-- writing and closed without a byte written (a read-only mount refuses the
-- open itself).
local escape = require("escape")

return escape.scenario {
  id = "escape.proc.sys",
  title = "/proc/sys is read-only",
  tags = { "layer3", "proc", "critical" },
  references = { "T1611", "T1082" },
  remediation = "Keep Docker's ReadonlyPaths (/proc/sys, /proc/bus, /proc/fs, /proc/irq, /proc/sysrq-trigger); "
    .. "never --privileged or --security-opt systempaths=unconfined.",
  run = function(t)
    local f = escape.facts(t, [=[
out = {}
for p in ["/proc/sys/kernel/hostname", "/proc/sys/vm/drop_caches", "/proc/sys/kernel/modprobe", "/proc/sys/fs/file-max"]:
    try:
        fd = os.open(p, os.O_WRONLY); os.close(fd); out[p] = "opened"
    except OSError as e:
        out[p] = errname(e.errno)
mounts = [l.split() for l in open("/proc/self/mountinfo")]
opts = [m[5] for m in mounts if m[4] == "/proc/sys"]
report(out=out, mount_options=opts)
]=])
    t:note("opens", f.out)
    t:note("mount_options", table.concat(f.mount_options, " "))
    for p, answer in pairs(f.out) do t:check(answer ~= "opened", p .. " cannot be opened for writing (" .. answer .. ")") end
    t:check(#f.mount_options > 0 and f.mount_options[1]:match("^ro") ~= nil, "/proc/sys is mounted read-only")
  end,
}
