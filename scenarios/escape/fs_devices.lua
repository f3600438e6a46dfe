-- Device nodes beyond the standard harmless set (a disk, /dev/mem, /dev/kmsg,
-- a GPU, /dev/fuse ...) reach host hardware or the host kernel. Safe: a
-- listing of /dev.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.devices",
  title = "Only the harmless device nodes exist (null, zero, full, random, urandom, tty, ptmx)",
  tags = { "layer3", "filesystem", "critical" },
  references = { "T1611", "T1006" },
  remediation = "Add no --device and no device cgroup rules; never --privileged.",
  run = function(t)
    local f = escape.facts(t, [=[
import stat
nodes = []
for root, dirs, files in os.walk("/dev"):
    for name in files + dirs:
        p = os.path.join(root, name)
        try:
            m = os.lstat(p).st_mode
        except OSError:
            continue
        if stat.S_ISCHR(m) or stat.S_ISBLK(m):
            nodes.append([p, "b" if stat.S_ISBLK(m) else "c", os.major(os.lstat(p).st_rdev), os.minor(os.lstat(p).st_rdev)])
report(nodes=nodes)
]=])
    local allowed = { ["/dev/null"] = true, ["/dev/zero"] = true, ["/dev/full"] = true, ["/dev/random"] = true,
      ["/dev/urandom"] = true, ["/dev/tty"] = true, ["/dev/ptmx"] = true, ["/dev/pts/ptmx"] = true, ["/dev/console"] = true }
    local names, extra = {}, {}
    for _, n in ipairs(f.nodes) do
      names[#names + 1] = ("%s %s %d:%d"):format(n[1], n[2], n[3], n[4])
      if not allowed[n[1]] then extra[#extra + 1] = n[1] end
    end
    t:note("device_nodes", table.concat(names, ", "))
    t:check(#f.nodes > 0, "the listing found the standard nodes")
    t:check(#extra == 0, "no other device node: " .. table.concat(extra, ", "))
  end,
}
