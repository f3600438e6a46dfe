# Shared helpers for the integration tests (POSIX sh). Each check prints one
# line; finish prints "N passed, N failed" and sets the exit status.
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }

# expect_status NAME WANT GOT
expect_status() {
    if [ "$3" = "$2" ]; then pass "$1"; else fail "$1 (status $3, want $2)"; fi
}

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}

# docker_available: true when the daemon answers (tests that need it fail,
# not skip, when it does not: CI must start it).
require_docker() {
    if ! curl -sf --max-time 5 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
        echo "FAIL the Docker daemon does not answer on /var/run/docker.sock (run scripts/start-docker.sh)"
        echo "0 passed, 1 failed"
        exit 1
    fi
}
