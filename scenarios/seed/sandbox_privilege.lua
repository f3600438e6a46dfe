-- V2: no privilege inside the sandbox: not root, no effective capabilities,
-- no_new_privs set (setuid binaries cannot raise privileges).
return {
  id = "seed.sandbox.privilege",
  title = "sandbox: uid is not 0, CapEff is 0, NoNewPrivs is 1",
  tags = { "privilege", "integration", "critical" },
  requires = { "docker" },
  run = function(t)
    local r = sandbox.run { validate = false, guard = false, code = [[
import os
print("uid", os.getuid(), os.geteuid())
for line in open("/proc/self/status"):
    if line.startswith(("CapEff", "CapPrm", "NoNewPrivs", "Seccomp:")):
        print(line.strip())
]] }
    t:note("stdout", r.stdout)
    local uid, euid = r.stdout:match("uid (%d+) (%d+)")
    t:check(uid and tonumber(uid) ~= 0 and tonumber(euid) ~= 0, "uid and euid are not 0")
    t:check(r.stdout:find("CapEff:%s+0000000000000000"), "CapEff is 0")
    t:check(r.stdout:find("CapPrm:%s+0000000000000000"), "CapPrm is 0")
    t:check(r.stdout:find("NoNewPrivs:%s+1"), "NoNewPrivs is 1")
    t:check(r.stdout:find("Seccomp:%s+2"), "a seccomp filter is in force (mode 2)")
  end,
}
