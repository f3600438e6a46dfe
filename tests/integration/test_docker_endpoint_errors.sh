#!/bin/sh
# Docker endpoints that are wrong in each way a user meets, each said
# plainly: an HTTP server that is not Docker, a TCP endpoint that never
# answers (the time stated is the time waited), a TLS certificate file that
# is not there. `run` stops once with exit status 2; `exec` is a sandbox
# failure (125). Needs no Docker daemon: the endpoints are local stand-ins.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"

echo 'print(1)' >"$WORK/p.py"

# An ordinary web server (python3 -m http.server): not a Docker API.
PORT=$(free_port)
mkdir -p "$WORK/www"
(cd "$WORK/www" && exec /usr/bin/python3 -m http.server "$PORT" --bind 127.0.0.1) >/dev/null 2>&1 &
WEB=$!
i=0; until curl -s "http://127.0.0.1:$PORT/" >/dev/null 2>&1; do i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1; done
"$SANDPROBE" run seed -H "tcp://127.0.0.1:$PORT" >"$WORK/out" 2>"$WORK/err"
expect_status "not Docker: run stops with 2" 2 $?
check "not Docker: one line" test "$(wc -l <"$WORK/err")" -eq 1
check "not Docker: says so" grep -q "tcp://127.0.0.1:$PORT is not a Docker API: it answered /_ping with HTTP 404" "$WORK/err"
check "not Docker: no HTML in the message" sh -c "! grep -qi 'DOCTYPE\|<html' '$WORK/err'"
"$SANDPROBE" exec --no-validate -H "tcp://127.0.0.1:$PORT" "$WORK/p.py" >"$WORK/out" 2>"$WORK/err"
expect_status "not Docker: exec is a sandbox failure" 125 $?
check "not Docker: exec says so" grep -q "is not a Docker API" "$WORK/err"
kill "$WEB" 2>/dev/null; wait "$WEB" 2>/dev/null

# A TCP endpoint that accepts connections and never answers.
PORT=$(free_port)
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$PORT" &
MUTE=$!
sleep 0.5
# elapsed_ms COMMAND...: runs it, sets STATUS and ELAPSED_MS
elapsed_ms() {
    t0=$(date +%s%N); "$@"; STATUS=$?; t1=$(date +%s%N)
    ELAPSED_MS=$(( (t1 - t0) / 1000000 ))
}
# stated_matches: the "no answer after N ms" in $WORK/err is within 25% of
# the wall time the command took (the stated time is the time waited).
stated_matches() {
    stated=$(sed -n 's/.*no answer after \([0-9]*\) ms.*/\1/p' "$WORK/err" | head -n 1)
    [ -n "$stated" ] && awk -v s="$stated" -v w="$ELAPSED_MS" 'BEGIN { exit !(s <= w && w <= s * 1.25 + 500) }'
}
elapsed_ms "$SANDPROBE" run seed -H "tcp://127.0.0.1:$PORT" >"$WORK/out" 2>"$WORK/err"
expect_status "no answer: run stops with 2" 2 "$STATUS"
check "no answer: one line" test "$(wc -l <"$WORK/err")" -eq 1
check "no answer: run states the time it waited ($ELAPSED_MS ms)" stated_matches
elapsed_ms "$SANDPROBE" exec --no-validate -H "tcp://127.0.0.1:$PORT" "$WORK/p.py" >"$WORK/out" 2>"$WORK/err"
expect_status "no answer: exec is a sandbox failure" 125 "$STATUS"
check "no answer: exec states the time it waited ($ELAPSED_MS ms), asking once" stated_matches
kill "$MUTE" 2>/dev/null; wait "$MUTE" 2>/dev/null

# TLS with a certificate folder that is not there, or half there.
DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$WORK/no-certs" DOCKER_HOST="tcp://127.0.0.1:2376" \
    "$SANDPROBE" run seed >"$WORK/out" 2>"$WORK/err"
expect_status "missing CA: run stops with 2" 2 $?
check "missing CA: names the file" grep -q "TLS: CA certificate file $WORK/no-certs/ca.pem not found" "$WORK/err"
check "missing CA: no TLS library message" sh -c "! grep -qi 'openssl\|error setting certificate' '$WORK/err'"
mkdir -p "$WORK/half-certs"
: >"$WORK/half-certs/ca.pem"; : >"$WORK/half-certs/cert.pem"
DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$WORK/half-certs" DOCKER_HOST="tcp://127.0.0.1:2376" \
    "$SANDPROBE" doctor >"$WORK/out" 2>&1
check "missing client key: doctor names the file" grep -q "TLS: client key file $WORK/half-certs/key.pem not found" "$WORK/out"

finish
