-- V3 Layer 3: a read-only root file system with a tmpfs /tmp mounted
-- rw,noexec,nosuid: /tmp takes writes, / and /root refuse them with EROFS,
-- and a script written to /tmp cannot be executed (execv gets EACCES from
-- noexec; with no seccomp layer here, nothing else refuses it).
local probe = require("seed_probe")

local CODE = [[
import json, os
result = {}
def attempt(key, fn):
    try:
        fn()
        result[key] = "ok"
    except OSError as e:
        result[key] = "%s: %s" % (type(e).__name__, e.strerror)
def write(path):
    with open(path, "w") as f:
        f.write("x")
attempt("tmp_write", lambda: write("/tmp/probe.txt"))
attempt("root_home_write", lambda: write("/root/probe.txt"))
attempt("rootfs_write", lambda: write("/probe.txt"))
with open("/tmp/run.sh", "w") as f:
    f.write("#!/bin/sh\necho escaped\n")
os.chmod("/tmp/run.sh", 0o755)
attempt("tmp_exec", lambda: os.execv("/tmp/run.sh", ["/tmp/run.sh"]))
result["tmp_mount"] = [l for l in open("/proc/mounts") if l.split()[1] == "/tmp"][0].strip()
print(json.dumps(result))
]]

return {
  id = "seed.layer3.filesystem",
  title = "Layer 3: read-only root, writable noexec /tmp",
  tags = { "layer3", "filesystem", "critical" },
  remediation = "Use ReadonlyRootfs = true and Tmpfs = {[\"/tmp\"] = \"rw,noexec,nosuid,size=64m\"}.",
  requires = { "docker" },
  run = function(t)
    -- uid 0 here, so the refusals come from the read-only mount, not from permissions.
    local r = probe.probe({ ReadonlyRootfs = true, Tmpfs = { ["/tmp"] = "rw,noexec,nosuid,size=64m" } },
      CODE, { user = "0:0" })
    local got = probe.decode(r.stdout) or {}
    for _, k in ipairs({ "tmp_write", "root_home_write", "rootfs_write", "tmp_exec", "tmp_mount" }) do
      t:note(k, got[k])
    end
    if r.stderr ~= "" then t:note("stderr", r.stderr) end
    t:check(got.tmp_write == "ok", "/tmp is writable")
    t:check(got.root_home_write == "OSError: Read-only file system", "/root refuses writes: Read-only file system")
    t:check(got.rootfs_write == "OSError: Read-only file system", "/ refuses writes: Read-only file system")
    t:check(got.tmp_exec == "PermissionError: Permission denied", "a script in /tmp cannot be executed (noexec)")
    probe.note_runtime(t)
    if probe.gvisor() then
      -- gVisor lists no nosuid in /proc/mounts; noexec, which keeps any
      -- program on /tmp from running at all, is the witness there.
      t:check(got.tmp_mount and got.tmp_mount:find("noexec", 1, true), "/tmp is mounted noexec (gVisor shows no nosuid)")
    else
      t:check(got.tmp_mount and got.tmp_mount:find("noexec", 1, true) and got.tmp_mount:find("nosuid", 1, true),
        "/tmp is mounted noexec,nosuid")
    end
    t:check(not r.stdout:find("escaped", 1, true), "the script never ran")
  end,
}
