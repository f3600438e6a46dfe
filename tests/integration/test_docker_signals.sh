# Never leave a container behind: SIGINT and SIGTERM to the engine remove
# its containers; a SIGKILLed engine's containers are swept by the next run.
. "$SANDPROBE_TESTS/integration/lib.sh"

# Starts the engine holding a container; sets ENGINE_PID and CONTAINER.
start_holder() {
    rm -f "$WORK/id"
    SANDPROBE_HOLD_FILE="$WORK/id" "$SANDPROBE" selftest "$SANDPROBE_TESTS/integration/lua/hold_container.lua" \
        >"$WORK/holder.out" 2>&1 &
    ENGINE_PID=$!
    if wait_for_file "$WORK/id" 60; then CONTAINER="$(cat "$WORK/id")"; else CONTAINER=""; fi
}

for pair in INT:2 TERM:15; do
    sig="${pair%:*}"
    start_holder
    if [ -z "$CONTAINER" ]; then
        fail "SIG$sig: engine created a container" "$(cat "$WORK/holder.out")"
        kill -KILL "$ENGINE_PID" 2>/dev/null
        continue
    fi
    check "SIG$sig: container running before the signal" container_exists "$CONTAINER"
    kill -s "$sig" "$ENGINE_PID"
    if wait_for_exit "$ENGINE_PID" 30; then
        wait "$ENGINE_PID"; status=$?
        expected=$((128 + ${pair#*:}))
        check "SIG$sig: engine exits with status $expected (got $status)" [ "$status" -eq "$expected" ]
    else
        fail "SIG$sig: engine did not exit within 30 s"
        kill -KILL "$ENGINE_PID" 2>/dev/null
    fi
    if container_exists "$CONTAINER"; then
        fail "SIG$sig: no container left behind" "$CONTAINER still exists"
        docker rm -f "$CONTAINER" >/dev/null 2>&1
    else
        pass "SIG$sig: no container left behind"
    fi
    grep -q "removing this run's containers" "$WORK/holder.out" &&
        pass "SIG$sig: engine says it is cleaning up" || fail "SIG$sig: engine says it is cleaning up" "$(cat "$WORK/holder.out")"
done

# SIGKILL: nothing in the engine runs, so the container stays...
start_holder
if [ -n "$CONTAINER" ]; then
    kill -KILL "$ENGINE_PID"
    wait "$ENGINE_PID" 2>/dev/null
    check "SIGKILL: the container outlives the engine" container_exists "$CONTAINER"
    # ...until the next run sweeps leftovers of runs whose process is gone.
    out="$("$SANDPROBE" selftest "$SANDPROBE_TESTS/integration/lua/sweep.lua" 2>&1)"
    count="$(printf '%s\n' "$out" | sed -n 's/^swept \([0-9]*\)$/\1/p')"
    check "SIGKILL: the next run reports a sweep of at least 1 (got '$count')" [ "${count:-0}" -ge 1 ]
    if container_exists "$CONTAINER"; then
        fail "SIGKILL: the sweep removed the leftover" "$CONTAINER still exists"
        docker rm -f "$CONTAINER" >/dev/null 2>&1
    else
        pass "SIGKILL: the sweep removed the leftover"
    fi
else
    fail "SIGKILL: engine created a container" "$(cat "$WORK/holder.out")"
    kill -KILL "$ENGINE_PID" 2>/dev/null
fi

# The sweep leaves containers of live processes alone: this shell is alive.
live="$(docker create --label sandprobe.managed=true --label "sandprobe.host=$(hostname)" \
    --label "sandprobe.pid=$$" --label sandprobe.run=it-live "$IMAGE" true)"
"$SANDPROBE" selftest "$SANDPROBE_TESTS/integration/lua/sweep.lua" >/dev/null 2>&1
check "sweep keeps containers of live processes" container_exists "$live"
docker rm -f "$live" >/dev/null 2>&1

finish
