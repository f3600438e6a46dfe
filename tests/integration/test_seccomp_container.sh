#!/bin/sh
# The seccomp profiles on the real daemon. The engine exports the hardened
# profile (and Docker's default, as a control) to JSON and predicts, from the
# locally compiled filter, the errno of each probe; a container running under
# that profile makes the same calls and reports what it observed. They must
# agree, and the hardened profile must refuse fork (EPERM) while threads run.
# Needs the docker CLI, the daemon and the image sandprobe/python:3.11.
set -u
: "${SANDPROBE:?path of the sandprobe binary}"
IMAGE=${SANDPROBE_IMAGE:-sandprobe/python:3.11}
passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

check() { # name got want
    if [ "$2" = "$3" ]; then
        passed=$((passed + 1))
        echo "ok   $1"
    else
        failed=$((failed + 1))
        printf 'FAIL %s\n  got:  %s\n  want: %s\n' "$1" "$2" "$3"
    fi
}

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
    echo "FAIL docker or the image $IMAGE is not available (scripts/start-docker.sh, scripts/build-image.sh)"
    echo "0 passed, 1 failed"
    exit 1
fi

# Profiles and predictions from the engine. A probe is "name syscall arg0":
# fork/subprocess/thread are what Python does (glibc's clone flags, vfork),
# the rest are raw syscalls the container makes with that first argument.
cat >"$work/export.lua" <<'LUA'
local seccomp = require("seccomp")
local dir = os.getenv("SECCOMP_WORK")
-- { name, syscall, arg0, errno the kernel gives when the filter allows the call }
local probes = {
  { "fork", "clone", 0x1200011, 0 }, { "subprocess", "vfork", 0, 0 },
  { "thread", "clone", 0x3d0f00, 0 }, { "raw_fork", "fork", 0, 0 },
  { "raw_clone3", "clone3", 0, 22 }, -- EINVAL: a zero-sized clone_args
  { "raw_unshare", "unshare", 0, 0 }, { "raw_personality", "personality", 0x0040000, 0 },
  { "raw_mount", "mount", 0, 1 },     -- EPERM from the kernel too, without CAP_SYS_ADMIN
  -- Docker's default allows these (chroot by CAP_SYS_CHROOT, ptrace since 4.8):
  { "raw_chroot", "chroot", 0, 14 },  -- EFAULT: a NULL path
  { "raw_ptrace", "ptrace", 16, 3 },  -- ESRCH: PTRACE_ATTACH to pid 0
}
local function write(name, text)
  local f = assert(io.open(dir .. "/" .. name, "w"))
  f:write(text)
  f:close()
end
local function export(name, profile)
  write(name .. ".json", profile:to_json())
  local predicted, raw = {}, {}
  for _, probe in ipairs(probes) do
    local action, errno = profile:action(probe[2], { probe[3] })
    assert(action == "allow" or action == "errno", action)
    predicted[#predicted + 1] = probe[1] .. " " .. (action == "allow" and probe[4] or errno)
    if probe[1]:find("^raw_") then
      raw[#raw + 1] = ("%s %d %d"):format(probe[1], assert(seccomp.syscall_number(probe[2])), probe[3])
    end
  end
  write(name .. ".predicted", table.concat(predicted, "\n") .. "\n")
  write("raw.txt", table.concat(raw, "\n") .. "\n")
end
export("hardened-nocaps", require("sandprobe.profiles.hardened")())
export("hardened-defaultcaps", require("sandprobe.profiles.hardened") { capabilities = "default" })
export("docker-default", assert(seccomp.default_profile()))
LUA
if ! SECCOMP_WORK=$work "$SANDPROBE" selftest "$work/export.lua" >"$work/export.out" 2>&1; then
    cat "$work/export.out"
    echo "FAIL exporting the profiles"
    echo "0 passed, 1 failed"
    exit 1
fi

# The probe: prints "name errno" (0 when the call succeeded).
cat >"$work/probe.py" <<'PY'
import ctypes, os, subprocess, sys, threading

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

def errno_of(fn):
    try:
        fn()
        return 0
    except OSError as e:
        return e.errno

def fork():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)

def thread():
    ran = []
    try:
        t = threading.Thread(target=ran.append, args=(1,))
        t.start()
        t.join()
    except RuntimeError:
        return -1
    return 0 if ran == [1] else -1

print("fork", errno_of(fork))
print("subprocess", errno_of(lambda: subprocess.run(["true"])))
print("thread", thread())
for line in sys.stdin:
    name, nr, arg0 = line.split()
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(int(nr)), ctypes.c_ulong(int(arg0)), 0, 0, 0, 0)
    if name == "raw_fork" and r == 0:
        os._exit(0)  # the child of a raw fork leaves at once
    if name == "raw_fork" and r > 0:
        os.waitpid(r, 0)
    print(name, ctypes.get_errno() if r == -1 else 0)
PY

run_probe() { # profile caps-options...
    profile=$1
    shift
    docker run --rm -i --label sandprobe.managed=true --network none "$@" \
        --security-opt "seccomp=$work/$profile.json" "$IMAGE" \
        python3 -c "$(cat "$work/probe.py")" <"$work/raw.txt" 2>"$work/$profile.err" | sort
}

for case in "hardened-nocaps --cap-drop ALL" "hardened-defaultcaps" "docker-default"; do
    # shellcheck disable=SC2086 # the case word list is split on purpose
    set -- $case
    profile=$1
    shift
    observed=$(run_probe "$profile" "$@")
    echo "     $profile observed: $(echo "$observed" | tr '\n' ' ')"
    predicted=$(sort "$work/$profile.predicted")
    check "$profile: the container agrees with the local filter" \
        "$(echo "$observed" | tr '\n' ' ')" "$(echo "$predicted" | tr '\n' ' ')"
    case $profile in
    hardened-*)
        check "$profile: os.fork() fails with EPERM" "$(echo "$observed" | grep '^fork ')" "fork 1"
        check "$profile: subprocess fails with EPERM" "$(echo "$observed" | grep '^subprocess ')" "subprocess 1"
        check "$profile: a thread runs" "$(echo "$observed" | grep '^thread ')" "thread 0"
        check "$profile: clone3 says ENOSYS" "$(echo "$observed" | grep '^raw_clone3 ')" "raw_clone3 38"
        check "$profile: chroot refused" "$(echo "$observed" | grep '^raw_chroot ')" "raw_chroot 1"
        check "$profile: ptrace refused" "$(echo "$observed" | grep '^raw_ptrace ')" "raw_ptrace 1"
        ;;
    docker-default)
        # The control: without the hardening fork works, so the test can tell.
        check "$profile: os.fork() works" "$(echo "$observed" | grep '^fork ')" "fork 0"
        check "$profile: a thread runs" "$(echo "$observed" | grep '^thread ')" "thread 0"
        check "$profile: chroot reaches the kernel" "$(echo "$observed" | grep '^raw_chroot ')" "raw_chroot 14"
        check "$profile: ptrace reaches the kernel" "$(echo "$observed" | grep '^raw_ptrace ')" "raw_ptrace 3"
        ;;
    esac
done

# os.system goes through the shell: a refused spawn is exit status 127.
status=$(docker run --rm --label sandprobe.managed=true --network none --cap-drop ALL \
    --security-opt "seccomp=$work/hardened-nocaps.json" "$IMAGE" \
    python3 -c 'import os; print(os.waitstatus_to_exitcode(os.system("true")))' 2>&1)
check "hardened: os.system cannot start a shell" "$status" "127"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
