#!/bin/sh
# `sandprobe exec` against the real daemon: the layers seen from a program
# (threads yes; fork, subprocess, os.system no; no network; read-only root),
# exit statuses (the program's, 125 sandbox failure, 126 rejected, 137
# killed), --json, a rejection that creates no container, the time limit;
# then the whole seed pack with its JSON report.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

P="$WORK/prog.py"
program() { cat >"$P"; }

# run_exec [options...]: runs exec on $P; status in $STATUS, output in $WORK/out, $WORK/err
run_exec() {
    "$SANDPROBE" exec --image "$IMAGE" "$@" "$P" >"$WORK/out" 2>"$WORK/err"
    STATUS=$?
}
has() { grep -q -- "$2" "$WORK/$1"; }
container_gone() { ! container_exists "$1"; }

program <<'PY'
import threading
box = []
t = threading.Thread(target=box.append, args=("thread ran",))
t.start()
t.join()
print(box[0])
PY
run_exec --no-validate --no-guard
expect_status "threads: exit 0" 0 "$STATUS"
check "threads: a thread ran" has out "thread ran"

program <<'PY'
import os
os.fork()
PY
run_exec --no-validate --no-guard
expect_status "os.fork: exit 1" 1 "$STATUS"
check "os.fork: PermissionError EPERM" has err "PermissionError: \[Errno 1\] Operation not permitted"

program <<'PY'
import subprocess
subprocess.run(["/bin/true"])
PY
run_exec --no-validate --no-guard
expect_status "subprocess: exit 1" 1 "$STATUS"
check "subprocess: EPERM" has err "\[Errno 1\] Operation not permitted"

program <<'PY'
import os
print("status", os.system("echo shell ran"))
PY
run_exec --no-validate --no-guard
check "os.system: the shell never ran" sh -c "! grep -q 'shell ran' '$WORK/out'"
check "os.system: spawn failed (status 127)" has out "status 32512"

program <<'PY'
import socket
socket.create_connection(("8.8.8.8", 53), timeout=3)
PY
run_exec --no-validate --no-guard
expect_status "network: exit 1" 1 "$STATUS"
check "network: unreachable" has err "Network is unreachable"

program <<'PY'
open("/etc/escape", "w")
PY
run_exec --no-validate --no-guard
check "read-only root: Read-only file system" has err "Read-only file system"

program <<'PY'
open("/tmp/ok", "w").write("x")
print("tmp writable")
PY
run_exec --no-validate --no-guard
expect_status "tmp writable: exit 0" 0 "$STATUS"

# Exit statuses.
program <<'PY'
print("before")
raise ValueError("bad parameter")
PY
run_exec
expect_status "exception: exit 1" 1 "$STATUS"
check "exception: stdout kept" has out "^before$"
check "exception: traceback names <strategy>" has err 'File "<strategy>", line 2'

program <<'PY'
raise SystemExit(7)
PY
run_exec --no-validate
expect_status "sys.exit(7): exit 7" 7 "$STATUS"

printf 'print(6 * 7)\n' | "$SANDPROBE" exec --image "$IMAGE" - >"$WORK/out" 2>"$WORK/err"
expect_status "stdin program: exit 0" 0 $?
check "stdin program: output" has out "^42$"

# --json: one object with the promised keys.
program <<'PY'
print("json")
PY
run_exec --json
expect_status "--json: exit 0" 0 "$STATUS"
check "--json: keys" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
keys = ["exit_code", "stdout", "stderr", "truncated", "oom_killed", "timed_out", "rejected", "findings", "durations"]
missing = [k for k in keys if k not in r]
assert not missing, missing
assert r["exit_code"] == 0 and r["stdout"] == "json\n" and r["truncated"] == {"stdout": False, "stderr": False}
for phase in ["validate", "create", "start", "run", "remove", "total"]:
    assert isinstance(r["durations"][phase], float), phase
' "$WORK/out"

# Output cap.
program <<'PY'
print("z" * 5000)
PY
run_exec --max-output 100 --json
check "--max-output: 100 bytes kept, flagged" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["stdout"]) == 100 and r["truncated"]["stdout"] is True, r["truncated"]
' "$WORK/out"

# Rejection: 126, findings printed, no container. The daemon is asked by the
# pid label of this very process; an accepted program is the control.
program <<'PY'
import os
os.system("id")
PY
since=$(date +%s)
"$SANDPROBE" exec --image "$IMAGE" "$P" >"$WORK/out" 2>"$WORK/err" &
pid=$!
wait $pid
STATUS=$?
expect_status "rejected: exit 126" 126 "$STATUS"
check "rejected: findings printed" has err "policy.import"
events=$(docker events --since "$since" --until "$(($(date +%s) + 1))" --filter "label=sandprobe.pid=$pid" --filter event=create --format '{{.ID}}' | wc -l)
expect_status "rejected: no container created (daemon events)" 0 "$events"
"$SANDPROBE" exec --image "$IMAGE" "$P" --host unix:///nonexistent/docker.sock >/dev/null 2>&1
expect_status "rejected: 126 even without a daemon (never contacted)" 126 $?

program <<'PY'
print("control")
PY
since=$(date +%s)
"$SANDPROBE" exec --image "$IMAGE" "$P" >"$WORK/out" 2>"$WORK/err" &
pid=$!
wait $pid
events=$(docker events --since "$since" --until "$(($(date +%s) + 1))" --filter "label=sandprobe.pid=$pid" --filter event=create --format '{{.ID}}' | wc -l)
expect_status "control: its container shows in the same query" 1 "$events"

# The sandbox itself failing: 125.
run_exec --host unix:///nonexistent/docker.sock
expect_status "dead daemon socket: exit 125" 125 "$STATUS"
check "dead daemon socket: says so" has err "cannot reach the Docker daemon"
"$SANDPROBE" exec --image sandprobe/no-such-image:0 "$P" >"$WORK/out" 2>"$WORK/err"
expect_status "missing image: exit 125" 125 $?

# Leftovers of a dead run are swept at start and reported.
sh -c 'exit 0' &
dead=$!
wait $dead
orphan=$(docker create --label sandprobe.managed=true --label "sandprobe.host=$(hostname)" \
    --label "sandprobe.pid=$dead" --label sandprobe.run=dead-run "$IMAGE" true)
program <<'PY'
print("after the sweep")
PY
run_exec
check "sweep: reported on stderr" grep -Eq "^sandprobe: swept [0-9]+ leftover containers? of earlier runs$" "$WORK/err"
check "sweep: the dead run's container is gone" container_gone "$orphan"
docker rm -f "$orphan" >/dev/null 2>&1

# Time limit: killed (137), reported, container gone.
program <<'PY'
import time
print("started", flush=True)
time.sleep(60)
PY
run_exec --no-validate --timeout 1 --json
expect_status "timeout: exit 137" 137 "$STATUS"
id=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["timed_out"] is True and r["stdout"] == "started\n"; print(r["container_id"])' "$WORK/out")
check "timeout: timed_out and output kept" test -n "$id"
check "timeout: container removed" container_gone "$id"

# Usage errors.
"$SANDPROBE" exec >/dev/null 2>&1
expect_status "no file: usage error 2" 2 $?
"$SANDPROBE" exec "$WORK/missing.py" >/dev/null 2>&1
expect_status "missing file: usage error 2" 2 $?

# The seed pack passes on this machine, and its JSON report says so.
"$SANDPROBE" run seed --format json >"$WORK/seed.json" 2>"$WORK/seed.err" &
seed_pid=$!
wait $seed_pid
expect_status "seed pack: exit 0" 0 $?
# --pool: the same result as a cold run, and the pool drained on exit.
printf 'import math\nprint(math.factorial(10))\n' >"$WORK/pooled.py"
"$SANDPROBE" exec "$WORK/pooled.py" --pool 2 --json >"$WORK/pooled.json" 2>"$WORK/pooled.err" &
pooled_pid=$!
wait "$pooled_pid"
expect_status "exec --pool: exit status" 0 $?
check "exec --pool: same output as a cold run" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stdout"] == "3628800\n" and r["exit_code"] == 0 and r["rejected"] is False, r
assert "acquire" in r["durations"], r["durations"]
' "$WORK/pooled.json"
check "exec --pool: no warm container left" test "$(docker ps -aq --filter label=sandprobe.managed=true --filter "label=sandprobe.pid=$pooled_pid" | wc -l)" -eq 0

# --metrics-file: the execution is counted and promtool finds nothing to say.
printf 'print("counted")\n' >"$WORK/counted.py"
"$SANDPROBE" exec "$WORK/counted.py" --metrics-file "$WORK/exec.prom" >/dev/null 2>&1
check "exec --metrics-file: execution counted" grep -q '^sandprobe_sandbox_executions_total{outcome="ok"} 1$' "$WORK/exec.prom"
check "exec --metrics-file: promtool clean" sh -c 'promtool check metrics <"$1"' _ "$WORK/exec.prom"

check "seed pack: JSON report, every scenario passed" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
bad = [x["id"] + ": " + str(x.get("message")) for x in r["results"] if x["status"] != "pass"]
assert not bad, bad
assert s["total"] >= 32 and s["pass"] == s["total"], s
ids = {x["id"] for x in r["results"]}
for want in ["seed.layer1.validator", "seed.layer2.network", "seed.layer3.filesystem", "seed.layer4.seccomp",
             "seed.layer5.memory", "seed.layer.all", "seed.loop.orphans", "seed.env.hello"]:
    assert want in ids, want
' "$WORK/seed.json"
check "seed pack: no container of its run left" test "$(docker ps -aq --filter "label=sandprobe.pid=$seed_pid" | wc -l)" -eq 0

finish
