-- /sys is the host's device and kernel tree: uevent_helper runs a program
-- as root on the host at the next hotplug event, and writable /sys files
-- reconfigure host devices. Safe: access() on each file, no write.
local escape = require("escape")

return escape.scenario {
  id = "escape.sys.read_only",
  title = "Nothing under /sys is writable (uevent_helper, devices, cgroups)",
  tags = { "layer3", "sys", "critical" },
  references = { "T1611" },
  remediation = "Keep /sys mounted read-only (Docker's default for unprivileged containers); never --privileged "
    .. "or a bind mount of /sys.",
  run = function(t)
    local f = escape.facts(t, [=[
writable, seen = [], 0
for root, dirs, files in os.walk("/sys"):
    for name in files + dirs:
        seen += 1
        p = os.path.join(root, name)
        if os.access(p, os.W_OK):
            writable.append(p)
    if root.count("/") >= 5:
        dirs[:] = []
report(seen=seen, writable=writable[:50], uevent=os.access("/sys/kernel/uevent_helper", os.W_OK))
]=])
    t:note("entries_checked", f.seen)
    t:check(f.seen > 100, ("the walk saw %d entries of /sys"):format(f.seen))
    t:check(not f.uevent, "/sys/kernel/uevent_helper is not writable")
    t:check(#f.writable == 0, "no entry of /sys is writable: " .. table.concat(f.writable, ", "))
  end,
}
