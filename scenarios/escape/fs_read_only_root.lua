-- Layer 3: the root file system refuses writes (EROFS), so nothing the
-- program does outlives it and no binary or library can be replaced. Safe:
-- creating a new file fails before anything is written.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.read_only_root",
  title = "The root file system is read-only",
  tags = { "layer3", "filesystem" },
  references = { "T1222", "T1611" },
  remediation = "Keep read_only = true (ReadonlyRootfs).",
  run = function(t)
    local f = escape.facts(t, [=[
out = {}
for p in ["/sandprobe-escape-probe", "/etc/sandprobe-escape-probe", "/usr/lib/sandprobe-escape-probe", "/var/tmp/sandprobe-escape-probe"]:
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600); os.close(fd); os.unlink(p); out[p] = "created"
    except OSError as e:
        out[p] = errname(e.errno)
report(out=out)
]=])
    t:note("attempts", f.out)
    for p, answer in pairs(f.out) do
      t:check(answer == "EROFS" or answer == "EACCES", ("%s cannot be created (%s)"):format(p, answer))
    end
  end,
}
