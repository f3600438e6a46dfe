-- CVE-2022-0492: cgroup v1's release_agent runs a program as root on the
-- host when a cgroup empties; a container that can write it (a writable
-- cgroup mount, or a cgroup mount of its own in a new user + cgroup
-- namespace) escapes. Safe: only access() is asked and unshare is called,
-- never a write or a mount.
local escape = require("escape")

return escape.scenario {
  id = "escape.runtime.cve_2022_0492",
  title = "cgroup release_agent is neither writable nor reachable through a new user + cgroup namespace",
  tags = { "layer3", "layer4", "runtime", "critical" },
  references = { "CVE-2022-0492", "T1611" },
  remediation = "Keep /sys/fs/cgroup read-only (Docker's default for unprivileged containers) and unshare "
    .. "refused (hardened.escape_syscalls); never add CAP_SYS_ADMIN or --privileged.",
  run = function(t)
    local f = escape.facts(t, [=[
agents = []
for root, dirs, files in os.walk("/sys/fs/cgroup"):
    for name in files:
        if name in ("release_agent", "notify_on_release", "cgroup.procs"):
            p = os.path.join(root, name)
            agents.append([p, os.access(p, os.W_OK)])
    if root.count("/") > 6:
        dirs[:] = []
report(files=agents, unshare=call("unshare", 0x10000000 | 0x02000000), writable_mount=os.access("/sys/fs/cgroup", os.W_OK))
]=], nil, { "unshare" })
    local writable = {}
    for _, entry in ipairs(f.files) do if entry[2] then writable[#writable + 1] = entry[1] end end
    t:note("cgroup_files_checked", #f.files)
    t:note("unshare_user_cgroup", f.unshare)
    t:check(#writable == 0, "no release_agent/notify_on_release/cgroup.procs is writable: " .. table.concat(writable, ", "))
    t:check(not f.writable_mount, "/sys/fs/cgroup is not writable")
    t:check(f.unshare ~= "ok", "a new user + cgroup namespace cannot be made (unshare: " .. f.unshare .. ")")
  end,
}
