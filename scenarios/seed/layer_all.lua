-- V3 all layers together: the sandbox's defaults against one program that
-- tries every escape. Layer 1 refuses it outright, and with the validator
-- off its run-time guard stops it; with both switched off
-- so the others are reached, each attempt fails in the container.
local probe = require("seed_probe")

local ESCAPES = [[
import json, os, socket
result = {}
def attempt(key, fn):
    try:
        fn()
        result[key] = "succeeded"
    except (OSError, MemoryError) as e:
        result[key] = type(e).__name__ + ": " + str(e)
attempt("network", lambda: socket.create_connection(("8.8.8.8", 53), timeout=3))
attempt("rootfs_write", lambda: open("/etc/escape", "w"))
attempt("fork", os.fork)
attempt("setuid_root", lambda: os.setuid(0))
result["uid"] = os.getuid()
result["rootmount"] = [l.split()[3].split(",")[0] for l in open("/proc/mounts") if l.split()[1] == "/"][-1]
print(json.dumps(result), flush=True)
block = b"\x01" * (600 * 1024 * 1024)
print("allocated")
]]

return {
  id = "seed.layer.all",
  title = "All five layers together contain a program that tries every escape",
  tags = { "layer1", "layer2", "layer3", "layer4", "layer5", "integration", "critical", "slow" },
  requires = { "docker" },
  remediation = "Each failed layer's own scenario (seed.layer1..5) says what to change. " .. probe.GVISOR_SECCOMP,
  run = function(t)
    local label = probe.unique("all")
    local refused = sandbox.run { code = ESCAPES, labels = { ["seed.probe"] = label } }
    t:check(refused.rejected and refused.container_id == nil, "Layer 1 refuses the program; no container")
    t:note("layer1_findings", #refused.findings)

    local guarded = sandbox.run { code = ESCAPES, validate = false }
    t:note("guard_stderr", guarded.stderr)
    t:check(guarded.outcome == "guard", "with the validator off, Layer 1 at run time (the guard) stops it")
    local r = sandbox.run { code = ESCAPES, validate = false, guard = false }
    local got = probe.decode(r.stdout:match("^[^\n]*\n") or "") or {}
    for _, k in ipairs({ "network", "rootfs_write", "rootmount", "fork", "setuid_root", "uid" }) do t:note(k, got[k]) end
    probe.note_runtime(t)
    t:note("oom_evidence", table.concat(r.oom_evidence, ", "))
    t:check(got.network and got.network:find(probe.no_network_error(), 1, true), "Layer 2: no network")
    -- uid 1000 writing to /etc: EROFS from Linux, EACCES from gVisor (which
    -- checks permissions first); the mount table is the witness on both.
    t:check(got.rootfs_write and (got.rootfs_write:find("Read-only file system", 1, true)
      or got.rootfs_write:find("Permission denied", 1, true)), "Layer 3: writing to /etc is refused")
    t:check(got.rootmount == "ro", "Layer 3: / is mounted read-only (/proc/mounts)")
    t:check(got.fork and got.fork:find("Operation not permitted", 1, true), "Layer 4: fork refused (EPERM)")
    t:check(got.setuid_root and got.setuid_root:find("Operation not permitted", 1, true), "no privilege: setuid(0) refused")
    if sandbox.normalize_options({}).user == sandbox.FRESH_USER then
      t:check(type(got.uid) == "number" and got.uid >= 1 << 30, "runs as a fresh non-root uid of its own")
    else
      t:check(type(got.uid) == "number" and got.uid ~= 0, "runs as a non-root uid")
    end
    t:check(r.oom_killed and not r.stdout:find("allocated\n", 1, true), "Layer 5: the 600 MB allocation is OOM-killed")
    t:check(probe.gone(r.container_id), "the container is removed")
  end,
}
