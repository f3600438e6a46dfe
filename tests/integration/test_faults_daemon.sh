# A daemon that accepts connections and never answers (a socket server this
# test starts): one unanswered request marks it unreachable for the whole
# process, so each command pays one time-out (the ping's 10 s), says so once,
# and stops; serve still stops at once on SIGTERM.
. "$SANDPROBE_TESTS/integration/lib.sh"

SOCK="$WORK/silent.sock"
python3 "$SANDPROBE_TESTS/integration/fake_docker.py" "$SOCK" silent &
FAKE_PID=$!
wait_for_file_socket() { i=0; while [ ! -S "$SOCK" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; }
wait_for_file_socket
HOST="unix://$SOCK"
STATED_MS=10000 # the ping's time-out, the first request any command makes
printf 'print("hello")\n' >"$WORK/hello.py"

now_ms() { date +%s%3N; }
within() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; } # within X LOW HIGH

# timed NAME CMD...: runs CMD, sets STATUS and ELAPSED_MS (stderr in $WORK/err).
timed() {
    t0=$(now_ms)
    "$@" >"$WORK/out" 2>"$WORK/err"
    STATUS=$?
    ELAPSED_MS=$(($(now_ms) - t0))
}

for pool in "" "--pool 3"; do
    label="exec${pool:+ $pool}"
    # shellcheck disable=SC2086
    timed "$SANDPROBE" exec "$WORK/hello.py" --host "$HOST" $pool
    expect_status "$label: the sandbox failed (125)" 125 "$STATUS"
    echo "  $label stopped after ${ELAPSED_MS} ms"
    check "$label: stopped within the stated ${STATED_MS} ms plus a second (took ${ELAPSED_MS} ms)" \
        [ "$ELAPSED_MS" -le $((STATED_MS + 1000)) ]
    lines=$(grep -c 'no answer after' "$WORK/err")
    check "$label: the daemon's silence reported once ($lines lines)" [ "$lines" -eq 1 ]
    waited=$(sed -n 's/.*no answer after \([0-9]*\) ms.*/\1/p' "$WORK/err" | head -n 1)
    check "$label: the report gives the time actually waited (${waited:-none} ms)" \
        within "${waited:-0}" "$STATED_MS" "$ELAPSED_MS"
done

timed "$SANDPROBE" run seed --host "$HOST"
expect_status "run seed: exit 2 once the daemon stopped answering" 2 "$STATUS"
echo "  run seed stopped after ${ELAPSED_MS} ms"
check "run seed: stopped within the stated ${STATED_MS} ms plus a second (took ${ELAPSED_MS} ms)" \
    [ "$ELAPSED_MS" -le $((STATED_MS + 1000)) ]
errors=$(grep -c 'no answer after' "$WORK/err")
check "run seed: one error line on stderr ($errors)" [ "$errors" -eq 1 ]
grep -q '^sandprobe run: stopped: cannot reach the Docker daemon' "$WORK/err" &&
    pass "run seed: says why it stopped" || fail "run seed: says why it stopped" "$(cat "$WORK/err")"
failed=$(grep -c '^FAIL' "$WORK/out")
check "run seed: no scenario reported as failed for the daemon's silence ($failed)" [ "$failed" -eq 0 ]

# serve: SIGTERM while the first ping hangs, and once the daemon is marked.
for wait_s in 2 12; do
    "$SANDPROBE" serve --metrics-listen 127.0.0.1:0 --host "$HOST" 2>"$WORK/serve.err" &
    pid=$!
    sleep "$wait_s"
    kill -TERM "$pid"
    t0=$(now_ms)
    wait "$pid"
    took=$(($(now_ms) - t0))
    echo "  serve: SIGTERM after ${wait_s} s, stopped in ${took} ms"
    check "serve: stops within a second of SIGTERM after ${wait_s} s (took ${took} ms)" [ "$took" -le 1000 ]
done

kill "$FAKE_PID" 2>/dev/null

# A daemon that dies while the program's output streams: what came before
# is kept in the result, the daemon's error beside it (exec), and in the
# evidence of the scenario that was running (run).
start_dying() {
    rm -f "$WORK/dies.sock" "$WORK/dies.sock.log"
    python3 "$SANDPROBE_TESTS/integration/fake_docker.py" "$WORK/dies.sock" dies &
    i=0; while [ ! -S "$WORK/dies.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
start_dying
"$SANDPROBE" exec "$WORK/hello.py" --host "unix://$WORK/dies.sock" --json >"$WORK/dies.json" 2>/dev/null
expect_status "exec: a daemon dying mid-output is a sandbox failure (125)" 125 $?
check "exec: the output before the daemon died is kept, the daemon's error beside it" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stdout"] == "before\n", r["stdout"]
assert "Docker daemon" in r["error"], r["error"]' "$WORK/dies.json"

mkdir -p "$WORK/packs/dies"
cat >"$WORK/packs/dies/pack.lua" <<'LUA'
return { name = "dies", description = "a scenario whose daemon dies", version = "1" }
LUA
cat >"$WORK/packs/dies/hello.lua" <<'LUA'
return { id = "dies.hello", title = "a program whose daemon dies", tags = { "dies" }, requires = { "docker" },
         run = function(t) t:check(sandbox.run { code = "print('hi')\n" }.exit_code == 0, "exit 0") end }
LUA
start_dying
"$SANDPROBE" run dies.hello --pack-path "$WORK/packs" --host "unix://$WORK/dies.sock" --format json \
    >"$WORK/dies-run.json" 2>/dev/null
check "run: the scenario's evidence has the daemon's error" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
assert r["status"] == "fail", r
assert any("Docker daemon" in e for e in r["evidence"]["sandbox_errors"]), r["evidence"]' "$WORK/dies-run.json"
finish
