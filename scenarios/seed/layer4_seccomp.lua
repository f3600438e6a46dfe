-- V3 Layer 4: the hardened seccomp profile alone (Docker's default
-- capabilities, no other layer). os.fork() gets EPERM, subprocess too, a
-- thread still runs, and what the container observed for fork equals what
-- the profile compiled here with libseccomp says fork gets.
local probe = require("seed_probe")
local hardened = require("sandprobe.profiles.hardened")

local CODE = [[
import json, os, subprocess, threading
result = {}
try:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    result["fork"] = "forked"
except OSError as e:
    result["fork"] = e.errno
try:
    subprocess.run(["/bin/true"])
    result["subprocess"] = "spawned"
except OSError as e:
    result["subprocess"] = e.errno
box = []
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
result["clone3"] = libc.syscall(435, 0, 0) == -1 and ctypes.get_errno()
th = threading.Thread(target=lambda: box.append("thread ran"))
th.start(); th.join()
result["thread"] = box[0] if box else "no thread"
print(json.dumps(result))
]]

return {
  id = "seed.layer4.seccomp",
  title = "Layer 4: the hardened seccomp profile refuses fork (EPERM) and keeps threads",
  tags = { "layer4", "seccomp", "critical" },
  remediation = "Pass the hardened profile inline: SecurityOpt = {\"seccomp=\" .. profile:to_json()}. " ..
    probe.GVISOR_SECCOMP,
  requires = { "docker" },
  run = function(t)
    probe.note_runtime(t)
    local profile <close> = hardened.build { capabilities = "default", gvisor = sandbox.runtime_is_gvisor(probe.target().runtime) }
    local action, errno = profile:action("fork")
    t:note("profile_fork", ("%s %s"):format(action, tostring(errno)))
    local r = probe.probe({ SecurityOpt = { sandbox.seccomp_entry(profile:to_json()) } }, CODE)
    local got = probe.decode(r.stdout) or {}
    t:note("container_fork", got.fork)
    t:note("container_subprocess", got.subprocess)
    t:note("container_thread", got.thread)
    t:note("container_clone3", got.clone3)
    if r.stderr ~= "" then t:note("stderr", r.stderr) end
    t:check(action == "errno" and errno == seccomp.errno("EPERM"), "the compiled profile answers EPERM for fork")
    t:check(got.fork == seccomp.errno("EPERM"), "os.fork() fails with EPERM in the container")
    t:check(got.fork == errno, "the container observed what the local profile predicts")
    t:check(got.subprocess == seccomp.errno("EPERM"), "subprocess fails with EPERM")
    t:check(got.thread == "thread ran", "threading.Thread still runs")
    -- ENOSYS from the profile (runc) or from gVisor, which has no clone3:
    -- anything else means clone3, whose flags no profile can see, is open.
    t:check(got.clone3 == seccomp.errno("ENOSYS"), "clone3 answers ENOSYS")
  end,
}
