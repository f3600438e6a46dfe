-- setuid/setgid programs (su, mount, passwd, ...) are a ladder to root
-- wherever no-new-privileges is missing. The image must carry none.
-- Safe: lstat() over the tree.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.setuid",
  title = "No setuid or setgid file in the image",
  tags = { "layer3", "filesystem", "image" },
  references = { "T1548.001" },
  remediation = "Build the image with scripts/build-image.sh (image version >= 2 strips the bits: "
    .. "find / -xdev -perm /6000 -exec chmod ug-s {} +) and keep security_opt = {\"no-new-privileges\"}.",
  timeout = 60,
  run = function(t)
    local f = escape.facts(t, [=[
import stat
found, seen = [], 0
for root, dirs, files in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    for name in files:
        p = os.path.join(root, name); seen += 1
        try:
            m = os.lstat(p).st_mode
        except OSError:
            continue
        if stat.S_ISREG(m) and m & (stat.S_ISUID | stat.S_ISGID):
            found.append(p)
nnp = [l.split()[1] for l in open("/proc/self/status") if l.startswith("NoNewPrivs:")]
report(seen=seen, found=found, no_new_privs=nnp[0] if nnp else "?")
]=], { timeout = 50 })
    t:note("files_checked", f.seen)
    t:note("setuid_setgid", table.concat(f.found, ", "))
    t:note("NoNewPrivs", f.no_new_privs)
    t:check(f.seen > 1000, ("the walk saw %d files"):format(f.seen))
    t:check(#f.found == 0, "no setuid/setgid file: " .. table.concat(f.found, ", "))
    t:check(f.no_new_privs == "1", "no-new-privileges is set (NoNewPrivs: " .. f.no_new_privs .. ")")
  end,
}
