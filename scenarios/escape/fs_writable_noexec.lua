-- A writable place that also allows exec runs any native binary the program
-- writes (and with suid, or devices, worse). Every writable mount must be
-- noexec, nosuid and nodev. Safe: reads /proc/self/mountinfo and access().
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.writable_noexec",
  title = "Every writable mount is noexec, nosuid and nodev",
  tags = { "layer3", "filesystem", "critical" },
  references = { "T1059", "T1620" },
  remediation = "Keep tmpfs = {\"/tmp:rw,noexec,nosuid,size=64m\"} (Docker adds nodev) and read_only = true.",
  run = function(t)
    local f = escape.facts(t, [=[
out = []
for line in open("/proc/self/mountinfo"):
    left, _, right = line.partition(" - ")
    a = left.split()
    point, opts = a[4], a[5].split(",")
    if point.startswith("/proc") or point.startswith("/sys"):
        continue
    if "rw" in opts and os.access(point, os.W_OK):
        out.append([point, a[5]])
report(writable=out)
]=])
    local bad, lines = {}, {}
    for _, m in ipairs(f.writable) do
      lines[#lines + 1] = m[1] .. " " .. m[2]
      local opts = "," .. m[2] .. ","
      if not (opts:find(",noexec,", 1, true) and opts:find(",nosuid,", 1, true) and opts:find(",nodev,", 1, true)) then
        bad[#bad + 1] = m[1] .. " (" .. m[2] .. ")"
      end
    end
    t:note("writable_mounts", table.concat(lines, "\n"))
    t:check(#f.writable >= 1, "the walk found the writable /tmp")
    t:check(#bad == 0, "every writable mount is noexec,nosuid,nodev: " .. table.concat(bad, ", "))
  end,
}
