# The daemon as the engine sees it: doctor on the real daemon, an unreachable
# daemon (one clear line, no hang), a daemon that never answers, a fake
# daemon for error paths a real one will not produce, and a private dockerd
# killed in the middle of a call. The shared daemon is never stopped.
. "$SANDPROBE_TESTS/integration/lib.sh"
LUA="$SANDPROBE_TESTS/integration/lua"

# --- doctor on the real daemon
out="$("$SANDPROBE" doctor 2>&1)"; status=$?
check "doctor passes on this machine" [ "$status" -eq 0 ]
printf '%s\n' "$out" | grep -q "Hello from Docker" && pass "doctor ran the test container" ||
    fail "doctor ran the test container" "$out"
"$SANDPROBE" doctor --format json >"$WORK/doctor.json"
# The 10 fixed checks, the default bridge, then one per runtime the daemon offers.
check "doctor --format json is valid JSON: 10 checks, the bridge, one per runtime" \
    python3 -c '
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
runtimes = json.loads(subprocess.check_output(["docker", "info", "--format", "{{json .Runtimes}}"]))
ids = [c["id"] for c in d["checks"]]
assert d["ok"] and len(ids) == 11 + len(runtimes) and ids[10] == "bridge", ids
assert sorted(ids[11:]) == sorted("runtime." + r for r in runtimes), ids' "$WORK/doctor.json"
"$SANDPROBE" doctor --format yaml >/dev/null 2>&1
check "doctor rejects an unknown format with status 2" [ $? -eq 2 ]

# --- unreachable: nobody listens on the socket
elapsed() { echo $(($(date +%s) - $1)); }
t0=$(date +%s)
out="$("$SANDPROBE" doctor --host "unix://$WORK/nobody.sock" 2>&1)"; status=$?
check "doctor --host <dead socket> exits 1" [ "$status" -eq 1 ]
first="$(printf '%s\n' "$out" | head -n1)"
case "$first" in
*"cannot reach the Docker daemon at unix://$WORK/nobody.sock: No such file or directory") pass "one clear line for a missing socket" ;;
*) fail "one clear line for a missing socket" "$first" ;;
esac
check "no hang on a dead socket ($(elapsed "$t0") s)" [ "$(elapsed "$t0")" -lt 10 ]

out="$(DOCKER_HOST="unix://$WORK/nobody.sock" "$SANDPROBE" doctor 2>&1)"
printf '%s\n' "$out" | head -n1 | grep -q "cannot reach the Docker daemon at unix://$WORK/nobody.sock" &&
    pass "DOCKER_HOST is honoured" || fail "DOCKER_HOST is honoured" "$out"
out="$(DOCKER_HOST="unix://$WORK/nobody.sock" "$SANDPROBE" doctor --host unix:///var/run/docker.sock 2>&1)"
check "--host overrides DOCKER_HOST" [ $? -eq 0 ]

# A socket file nobody accepts on: connection refused.
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$WORK/refused.sock"
out="$("$SANDPROBE" doctor --host "unix://$WORK/refused.sock" 2>&1 | head -n1)"
case "$out" in
*"cannot reach the Docker daemon at unix://$WORK/refused.sock: Connection refused") pass "one clear line for a refused connection" ;;
*) fail "one clear line for a refused connection" "$out" ;;
esac

out="$("$SANDPROBE" doctor --host "ssh://user@host" 2>&1 | head -n1)"
case "$out" in
*"unsupported Docker host 'ssh://user@host'"*) pass "an unsupported scheme is named" ;;
*) fail "an unsupported scheme is named" "$out" ;;
esac

out="$("$SANDPROBE" doctor --host "tcp://127.0.0.1:1" 2>&1 | head -n1)"
case "$out" in
*"cannot reach the Docker daemon at tcp://127.0.0.1:1: "*) pass "one clear line for a closed TCP port" ;;
*) fail "one clear line for a closed TCP port" "$out" ;;
esac

# --- a daemon that accepts connections and never answers
python3 "$SANDPROBE_TESTS/integration/fake_docker.py" "$WORK/silent.sock" silent &
SILENT=$!
wait_for_file "$WORK/silent.sock" 10 || sleep 1
t0=$(date +%s)
out="$("$SANDPROBE" doctor --host "unix://$WORK/silent.sock" 2>&1 | head -n1)"
case "$out" in
*"cannot reach the Docker daemon at unix://$WORK/silent.sock: no answer after"*) pass "a silent daemon is one clear line" ;;
*) fail "a silent daemon is one clear line" "$out" ;;
esac
check "a silent daemon costs the ping timeout, not more ($(elapsed "$t0") s)" [ "$(elapsed "$t0")" -lt 20 ]
kill "$SILENT"

# --- a fake daemon: older API, in-band import error, malformed stream
python3 "$SANDPROBE_TESTS/integration/fake_docker.py" "$WORK/fake.sock" api &
FAKE=$!
i=0; while [ ! -S "$WORK/fake.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
out="$(DOCKER_HOST="unix://$WORK/fake.sock" "$SANDPROBE" selftest "$LUA/fake_daemon.lua" 2>&1)"
check "fake daemon error paths" [ $? -eq 0 ]
printf '%s\n' "$out" | grep -v '^ok'
grep -q "^POST /v1.40/images/create?fromSrc=-&repo=sandprobe-test/fake:1" "$WORK/fake.sock.log" &&
    pass "requests use the negotiated version in the path" ||
    fail "requests use the negotiated version in the path" "$(cat "$WORK/fake.sock.log")"
kill "$FAKE"

# --- a private dockerd, killed while the engine waits on it
# It gets a bridge of its own: with `--bridge none` dockerd deletes the
# interface docker0 at start-up, which would break the shared daemon.
P=sandprobe-test-docker
PRIVATE_SOCK="/run/$P.sock"
PRIVATE_BRIDGE=sptest0
cleanup_private() {
    [ -f "/run/$P.pid" ] && kill -KILL "$(cat "/run/$P.pid")" 2>/dev/null
    sleep 0.5
    grep -q " /var/lib/$P " /proc/mounts && umount "/var/lib/$P"
    rm -rf "/var/lib/$P" "/run/$P" "$PRIVATE_SOCK" "/run/$P.pid"
    ip link del "$PRIVATE_BRIDGE" 2>/dev/null
    return 0
}
had_docker0=0
ip link show docker0 >/dev/null 2>&1 && had_docker0=1
if ! command -v dockerd >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
    fail "private dockerd" "needs root and dockerd"
elif [ -S "$PRIVATE_SOCK" ] && curl -sf --unix-socket "$PRIVATE_SOCK" http://d/_ping >/dev/null 2>&1; then
    fail "private dockerd" "$PRIVATE_SOCK is already in use"
else
    cleanup_private
    trap cleanup_private EXIT INT TERM
    ip link add "$PRIVATE_BRIDGE" type bridge && ip addr add 10.213.77.1/24 dev "$PRIVATE_BRIDGE"
    setsid dockerd --data-root "/var/lib/$P" --exec-root "/run/$P" --pidfile "/run/$P.pid" \
        -H "unix://$PRIVATE_SOCK" --bridge "$PRIVATE_BRIDGE" --iptables=false --ip6tables=false --ip-masq=false \
        >"$WORK/dockerd.log" 2>&1 </dev/null &
    i=0
    until curl -sf --unix-socket "$PRIVATE_SOCK" http://d/_ping >/dev/null 2>&1; do
        i=$((i + 1)); [ $i -gt 60 ] && break; sleep 0.5
    done
    DOCKER_HOST="unix://$PRIVATE_SOCK" SANDPROBE_READY_FILE="$WORK/ready" \
        "$SANDPROBE" selftest "$LUA/daemon_death.lua" >"$WORK/death.out" 2>&1 &
    ENGINE=$!
    if wait_for_file "$WORK/ready" 30; then
        sleep 1
        kill -KILL "$(cat "/run/$P.pid")"
    fi
    if wait_for_exit "$ENGINE" 60; then
        wait "$ENGINE"; status=$?
        check "engine survives the daemon's death with clear errors (status $status)" [ "$status" -eq 0 ]
        if [ "$status" -eq 0 ]; then grep "message:" "$WORK/death.out"; else cat "$WORK/death.out"; fi
    else
        fail "engine returns after the daemon's death" "$(cat "$WORK/death.out")"
        kill -KILL "$ENGINE"
    fi
    cleanup_private
    trap - EXIT INT TERM
    check "private dockerd cleaned up" [ ! -e "/var/lib/$P" ] && [ ! -e "$PRIVATE_SOCK" ]
    if [ "$had_docker0" = 1 ]; then
        check "the shared daemon's docker0 is untouched" sh -c 'ip link show docker0 >/dev/null'
    fi
fi

finish
