-- V2: the seccomp layer through sandbox.run: fork, subprocess and os.system
-- get EPERM, threads work.
return {
  id = "seed.sandbox.seccomp",
  title = "sandbox.run: fork/subprocess/os.system refused with EPERM, threads work",
  tags = { "layer4", "seccomp", "integration" },
  requires = { "docker" },
  remediation = "Run untrusted code under the hardened profile (seccomp = \"hardened\"). " ..
    require("seed_probe").GVISOR_SECCOMP,
  run = function(t)
    require("seed_probe").note_runtime(t)
    local r = sandbox.run { validate = false, guard = false, code = [[
import ctypes, os, subprocess, threading
libc = ctypes.CDLL(None, use_errno=True)
print("clone3", "errno", ctypes.get_errno() if libc.syscall(435, 0, 0) == -1 else "none")
def attempt(name, fn):
    try:
        print(name, "returned", fn())
    except OSError as e:
        print(name, "errno", e.errno)
attempt("fork", os.fork)
attempt("subprocess", lambda: subprocess.run(["/bin/true"]).returncode)
attempt("system", lambda: os.system("echo shell ran"))
out = []
threads = [threading.Thread(target=out.append, args=(i,)) for i in range(4)]
for th in threads: th.start()
for th in threads: th.join()
print("threads", len(out))
]] }
    t:note("stdout", r.stdout)
    t:check(r.stdout:find("fork errno 1\n", 1, true), "os.fork() -> EPERM")
    t:check(r.stdout:find("subprocess errno 1\n", 1, true), "subprocess -> EPERM")
    -- os.system does not raise: glibc's system() reports a failed spawn as
    -- exit status 127 (32512), or -1.
    t:check(r.stdout:find("system returned 32512\n", 1, true) or r.stdout:find("system returned -1\n", 1, true),
      "os.system reports that it could not start a shell")
    t:check(not r.stdout:find("shell ran", 1, true), "the shell never ran")
    t:check(r.stdout:find("threads 4\n", 1, true), "four threads ran")
    t:check(r.stdout:find("clone3 errno 38\n", 1, true), "clone3 -> ENOSYS (from the profile, or from gVisor, which has none)")
    if r.stderr ~= "" then t:note("stderr", r.stderr) end
  end,
}
