-- V2: the sandbox's file-system layer through sandbox.run.
return {
  id = "seed.sandbox.filesystem",
  title = "sandbox.run: /tmp writable, / and /root read-only, /tmp noexec",
  tags = { "layer3", "filesystem", "integration" },
  requires = { "docker" },
  run = function(t)
    local r = sandbox.run { validate = false, guard = false, code = [[
import os
def attempt(name, fn):
    try:
        fn()
        print(name, "ok")
    except OSError as e:
        print(name, e.strerror)
def write(path):
    with open(path, "w") as f:
        f.write("#!/bin/sh\necho escaped\n")
attempt("tmp", lambda: write("/tmp/s.sh"))
attempt("root", lambda: write("/root/s.sh"))
attempt("rootfs", lambda: write("/s.sh"))
os.chmod("/tmp/s.sh", 0o755)
print("rootmount", [l.split()[3].split(",")[0] for l in open("/proc/mounts") if l.split()[1] == "/"][-1])
attempt("exec", lambda: os.execv("/tmp/s.sh", ["/tmp/s.sh"]))
]] }
    t:note("stdout", r.stdout)
    t:check(r.stdout:find("tmp ok\n", 1, true), "/tmp takes writes")
    t:check(r.stdout:find("root Read-only file system\n", 1, true)
      or r.stdout:find("root Permission denied\n", 1, true), "/root refuses writes")
    -- As uid 1000, Linux answers EROFS; gVisor checks permissions first
    -- (EACCES). /proc/mounts listing / as ro is the witness on both.
    t:check(r.stdout:find("rootfs Read-only file system\n", 1, true)
      or r.stdout:find("rootfs Permission denied\n", 1, true), "/ refuses writes")
    t:check(r.stdout:find("rootmount ro\n", 1, true), "/ is mounted read-only (/proc/mounts)")
    t:check(r.stdout:find("exec Permission denied\n", 1, true), "executing from /tmp is refused")
    t:check(not r.stdout:find("escaped", 1, true), "the script never ran")
  end,
}
