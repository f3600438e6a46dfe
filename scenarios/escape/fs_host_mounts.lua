-- Host paths bind-mounted into the sandbox (a home directory, /var/run, a
-- project tree) expose host files. mountinfo's root field names the host
-- directory of every bind mount; only Docker's own per-container files
-- (/etc/hostname, /etc/hosts, /etc/resolv.conf) may come from the host.
-- Safe: reads /proc/self/mountinfo.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.host_mounts",
  title = "No host directory is mounted into the sandbox",
  tags = { "layer3", "filesystem", "critical" },
  references = { "T1611", "T1005" },
  remediation = "Give the sandbox no volumes, binds or Mounts; the code travels on stdin.",
  run = function(t)
    local f = escape.facts(t, [=[
mounts = []
for line in open("/proc/self/mountinfo"):
    left, _, right = line.partition(" - ")
    a, b = left.split(), right.split()
    mounts.append([a[4], a[3], b[0], a[5], a[2]])   # mount point, root in its fs, fs type, options, device
report(mounts=mounts)
]=])
    local DOCKER_FILES = { ["/etc/hostname"] = true, ["/etc/hosts"] = true, ["/etc/resolv.conf"] = true }
    local VIRTUAL = { proc = true, sysfs = true, tmpfs = true, devpts = true, mqueue = true, cgroup = true,
      cgroup2 = true, overlay = true }
    local lines, foreign, whole = {}, {}, {}
    for _, m in ipairs(f.mounts) do
      if m[2] == "/" and VIRTUAL[m[3]] then whole[m[5]] = true end
    end
    for _, m in ipairs(f.mounts) do
      local point, root, fstype = m[1], m[2], m[3]
      lines[#lines + 1] = ("%s <- %s (%s, %s)"):format(point, root, fstype, m[4])
      local docker_file = DOCKER_FILES[point] and root:match("^/var/lib/docker/containers/%x+/") ~= nil
      -- A virtual file system of the container's own is mounted whole
      -- somewhere in it (Docker's masked and read-only paths are binds of
      -- parts of those: /proc/sys, /dev/null over /proc/keys); cgroup v1 is
      -- mounted at the container's own cgroup. A host directory has none.
      local own = VIRTUAL[fstype] and (whole[m[5]] or fstype:match("^cgroup") ~= nil)
      if not docker_file and not own then foreign[#foreign + 1] = point .. " <- " .. root .. " (" .. fstype .. ")" end
    end
    t:note("mounts", table.concat(lines, "\n"))
    t:check(#f.mounts > 5, ("mountinfo lists %d mounts"):format(#f.mounts))
    t:check(#foreign == 0, "no host directory or disk is mounted: " .. table.concat(foreign, "; "))
  end,
}
