#!/bin/sh
# The same packs against Podman's Docker-compatible API: this test starts
# `podman system service` (Debian's podman 4.3) on a socket of its own, with
# its own storage and run roots, loads the sandbox image into it, and runs
# doctor, the seed pack, exec and the pool through it; then stops the
# service by its pid.
#
# What this machine needs of Podman's configuration (a containers.conf of
# the test's own, through CONTAINERS_CONF): runc (Debian's crun 1.8 refuses
# this host's hybrid cgroups), the cgroupfs manager and file events (no
# systemd here), and low nofile/nproc ulimits (the OCI runtime cannot set
# Podman's defaults inside this VM: "error setting rlimit type 6: operation
# not permitted").
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

P="$WORK/podman"
mkdir -p "$P"
SOCK="$P/podman.sock"
SERVICE_PID=""
cleanup() {
    if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill "$SERVICE_PID"
        wait_for_exit "$SERVICE_PID" 30 || kill -9 "$SERVICE_PID"
    fi
    # conmon monitors of exec sessions outlive them by 300 s (--exit-delay),
    # and of containers that could not start: found by this test's own
    # storage path, stopped by pid.
    for pid in $(pgrep -f -- "$P/storage" || true); do
        [ "$pid" != "$$" ] && kill "$pid" 2>/dev/null
    done
    podman --root "$P/storage" --runroot "$P/run" system reset --force >/dev/null 2>&1 || true
    rm -rf "$P" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if ! command -v podman >/dev/null 2>&1; then
    fail "podman is not installed (scripts/install-packages.sh installs it)"
    finish; exit 1
fi

# 1024 processes (and open files, where a container names none): far above
# what a sandbox may use (its pids limit is 64). Podman's defaults, and even
# this process's own hard limits, are refused at container start ("error
# setting rlimit type 6: operation not permitted"). A container that names
# ulimits of its own (the sandbox does: core, nofile) but not nproc gets an
# nproc this VM refuses too, so the sandbox here is the built-in target plus
# nproc (podman.target.lua below).
LIMIT=1024
cat >"$P/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$LIMIT:$LIMIT", "nproc=$LIMIT:$LIMIT"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
# Started in $P: conmon writes an "oom" marker file into its working folder.
cd "$P"
CONTAINERS_CONF="$P/containers.conf" setsid podman --root "$P/storage" --runroot "$P/run" \
    system service --time=0 "unix://$SOCK" >"$P/service.log" 2>&1 </dev/null &
SERVICE_PID=$!
cd - >/dev/null
i=0
until curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -ge 30 ] || ! kill -0 "$SERVICE_PID" 2>/dev/null; then
        fail "podman system service did not answer" "$(tail -n 10 "$P/service.log")"
        finish; exit 1
    fi
    sleep 1
done
pass "podman system service answers on its own socket (pid $SERVICE_PID)"

docker save "$IMAGE" | curl -sf --unix-socket "$SOCK" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @- http://localhost/v1.41/images/load >"$P/load.json"
check "the sandbox image is loaded into Podman" grep -q "Loaded image" "$P/load.json"

H="unix://$SOCK"
# The built-in target with nproc named beside the other ulimits (see above).
sed 's/ulimits = { "core=0:0", "nofile=4096:4096" }/ulimits = { "core=0:0", "nofile=4096:4096", "nproc=1024:1024" }/' \
    "$SANDPROBE_SOURCE/lua/sandprobe/targets/default.lua" >"$P/podman.target.lua"
check "the Podman target names nproc" grep -q 'nproc=1024:1024' "$P/podman.target.lua"
T="$P/podman.target.lua"

"$SANDPROBE" doctor --host "$H" >"$WORK/doctor.txt" 2>&1
check "doctor: Podman answers" grep -q "^✓ daemon reachable .*$SOCK answers" "$WORK/doctor.txt"
check "doctor: test container" grep -q '^✓ test container' "$WORK/doctor.txt"
check "doctor: the default runtime (runc) starts containers" grep -q '^✓ runtime runc .*the default' "$WORK/doctor.txt"
# Podman's compatible API accepts HostConfig.Runtime and ignores it: doctor
# says so instead of claiming the runtime works.
check "doctor: a runtime the API cannot choose is one line saying so" \
    grep -q "^✗ runtime crun .*did not honour Runtime=crun" "$WORK/doctor.txt"

"$SANDPROBE" run seed --host "$H" --target "$T" --format json --output "$WORK/seed.json" >"$WORK/seed.txt" 2>&1
seed_status=$?
python3 - "$WORK/seed.json" <<'PY' >"$WORK/seed.verdict" 2>&1
import json, sys
run = json.load(open(sys.argv[1]))
# A failing scenario's evidence too: what a slow Podman measured, for instance.
bad = ["%s=%s: %s %s" % (r["id"], r["status"], (r["message"] or "")[:200], json.dumps(r.get("evidence"))[:300])
       for r in run["results"] if r["status"] != "pass"]
print("ok" if not bad and run["summary"]["total"] > 40 else "\n".join(bad) or "too few results")
PY
python3 -c 'import json, sys
r = [x for x in json.load(open(sys.argv[1]))["results"] if x["id"] == "seed.overhead.creation"]
print("podman creation:", json.dumps(r[0]["evidence"]) if r else "not run")' "$WORK/seed.json"
if [ "$(cat "$WORK/seed.verdict")" = "ok" ] && [ "$seed_status" = 0 ]; then pass "the seed pack is green on Podman"
else fail "seed on Podman (exit $seed_status)" "$(cat "$WORK/seed.verdict")"; fi

printf 'import threading\nt = threading.Thread(target=print, args=("thread ran",)); t.start(); t.join()\nprint(6 * 7)\n' >"$WORK/p.py"
out="$("$SANDPROBE" exec --host "$H" --target "$T" --no-validate --no-guard "$WORK/p.py" 2>"$WORK/exec.err")"
[ "$out" = "thread ran
42" ] && pass "exec on Podman" || fail "exec on Podman" "$out $(cat "$WORK/exec.err")"
out="$("$SANDPROBE" exec --host "$H" --target "$T" --pool 2 --no-validate --no-guard "$WORK/p.py" 2>"$WORK/pool.err")"
[ "$out" = "thread ran
42" ] && pass "exec --pool 2 on Podman" || fail "exec --pool on Podman" "$out $(cat "$WORK/pool.err")"
printf 'import os\nos.fork()\n' >"$WORK/fork.py"
"$SANDPROBE" exec --host "$H" --target "$T" --no-validate --no-guard "$WORK/fork.py" >/dev/null 2>"$WORK/fork.err"
expect_status "exec on Podman: fork refused (exit 1)" 1 $?
check "exec on Podman: EPERM" grep -q "Operation not permitted" "$WORK/fork.err"

left="$(curl -s --unix-socket "$SOCK" 'http://localhost/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22sandprobe.managed%3Dtrue%22%5D%7D' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
[ "$left" = 0 ] && pass "no container left behind in Podman" || fail "$left containers left behind in Podman"

cleanup
trap - EXIT INT TERM
finish
