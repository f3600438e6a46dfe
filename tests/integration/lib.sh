# Shared helpers for the integration tests (POSIX sh). Source it, call
# check/pass/fail, and end with `finish`, which prints "N passed, N failed".
: "${SANDPROBE:?set SANDPROBE to the sandprobe binary}"
: "${SANDPROBE_TESTS:?set SANDPROBE_TESTS to the tests/ folder}"
IMAGE="${SANDPROBE_IMAGE:-sandprobe/python:3.11}"
export SANDPROBE_IMAGE="$IMAGE"
PASSED=0
FAILED=0
WORK="$(mktemp -d /tmp/sandprobe-it.XXXXXX)"

pass() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '  %s\n' "$2"; return 0; }

# check NAME COMMAND...: passes when the command succeeds.
check() {
    name="$1"; shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}

# Waits up to $2 seconds for file $1 to be non-empty.
wait_for_file() {
    i=0
    while [ ! -s "$1" ]; do
        i=$((i + 1)); [ "$i" -gt $(($2 * 10)) ] && return 1
        sleep 0.1
    done
}

# Waits up to $2 seconds for process $1 to end.
wait_for_exit() {
    i=0
    while kill -0 "$1" 2>/dev/null; do
        i=$((i + 1)); [ "$i" -gt $(($2 * 10)) ] && return 1
        sleep 0.1
    done
}

# 0 when a container with this id still exists (checked with the docker CLI,
# independently of the engine under test).
container_exists() {
    [ -n "$(docker ps -aq --no-trunc --filter "id=$1")" ]
}

finish() {
    rm -rf "$WORK"
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

# expect_status NAME WANT GOT
expect_status() {
    if [ "$3" = "$2" ]; then pass "$1"; else fail "$1 (status $3, want $2)"; fi
}

# Tests that need the daemon fail (not skip) when it does not answer: CI
# must have started it.
require_docker() {
    if ! curl -sf --max-time 5 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
        echo "FAIL the Docker daemon does not answer on /var/run/docker.sock (run scripts/start-docker.sh)"
        echo "0 passed, 1 failed"
        exit 1
    fi
}

# start_serve ERRFILE [serve options...]: starts `sandprobe serve` on a free
# loopback port in the background; sets SERVE_PID and SERVE_PORT (empty when
# it did not come up within 15 s).
# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_serve() {
    errfile="$1"; shift
    "$SANDPROBE" serve --metrics-listen 127.0.0.1:0 "$@" 2>"$errfile" &
    SERVE_PID=$!
    SERVE_PORT=""
    i=0
    while [ -z "$SERVE_PORT" ] && [ "$i" -lt 150 ]; do
        SERVE_PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$errfile" 2>/dev/null | head -n 1)
        i=$((i + 1)); sleep 0.1
    done
}

# promtool_clean NAME FILE: passes when `promtool check metrics` says nothing.
promtool_clean() {
    if [ ! -s "$2" ]; then fail "$1: $2 missing or empty"; return; fi
    report=$(promtool check metrics <"$2" 2>&1)
    status=$?
    if [ $status -eq 0 ] && [ -z "$report" ]; then
        pass "$1: promtool check metrics reports nothing"
    else
        fail "$1: promtool check metrics (exit $status)" "$report"
    fi
}
