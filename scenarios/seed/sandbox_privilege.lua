-- V2: no privilege inside the sandbox: not root, no effective capabilities,
-- no_new_privs set (setuid binaries cannot raise privileges).
return {
  id = "seed.sandbox.privilege",
  title = "sandbox: uid is not 0, CapEff is 0, NoNewPrivs is 1",
  tags = { "privilege", "integration", "critical" },
  requires = { "docker" },
  remediation = "Run as a non-root user with --cap-drop ALL, no-new-privileges and a seccomp profile. " ..
    require("seed_probe").GVISOR_SECCOMP,
  run = function(t)
    local r = sandbox.run { validate = false, guard = false, code = [[
import ctypes, os
print("uid", os.getuid(), os.geteuid())
# prctl(PR_GET_NO_NEW_PRIVS): gVisor's /proc/self/status has no NoNewPrivs line.
print("no_new_privs", ctypes.CDLL(None, use_errno=True).prctl(39, 0, 0, 0, 0))
for line in open("/proc/self/status"):
    if line.startswith(("CapEff", "CapPrm", "NoNewPrivs", "Seccomp:")):
        print(line.strip())
]] }
    t:note("stdout", r.stdout)
    local uid, euid = r.stdout:match("uid (%d+) (%d+)")
    t:check(uid and tonumber(uid) ~= 0 and tonumber(euid) ~= 0, "uid and euid are not 0")
    t:check(r.stdout:find("CapEff:%s+0000000000000000"), "CapEff is 0")
    t:check(r.stdout:find("CapPrm:%s+0000000000000000"), "CapPrm is 0")
    t:check(r.stdout:find("no_new_privs 1\n", 1, true), "NoNewPrivs is 1 (prctl PR_GET_NO_NEW_PRIVS)")
    t:check(r.stdout:find("Seccomp:%s+2"), "a seccomp filter is in force (mode 2)")
  end,
}
