# serve keeps answering /metrics while more slow clients than it has
# connection slots (64) each send a header line every second and never
# finish their request: each request has 5 s, however many bytes trickle in.
# Loopback only; bounded to about 15 s.
. "$SANDPROBE_TESTS/integration/lib.sh"

within() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; } # within X LOW HIGH
SLOTS=64
DEADLINE_S=5
start_serve "$WORK/serve.err"
if [ -z "$SERVE_PORT" ]; then
    fail "serve came up" "$(cat "$WORK/serve.err")"
    finish
    exit 1
fi
python3 "$SANDPROBE_TESTS/integration/slow_clients.py" "$SERVE_PORT" $((SLOTS + 6)) 14 >"$WORK/figures"
sed 's/^/  /' "$WORK/figures"
value() { sed -n "s/.*\\b$1=\\([-0-9.]*\\).*/\\1/p" "$WORK/figures" | head -n 1; }
cut=$(value cut); first=$(value first_ok_s); late=$(value late_scrapes); late_ok=$(value late_ok)
check "the slow connections were cut ($cut of $((SLOTS + 6)))" [ "${cut:-0}" -ge "$SLOTS" ]
first_ms=$(printf '%s' "$first" | awk '{ printf "%d", $1 * 1000 }')
check "a scrape succeeded within the request deadline plus 2 s (first at ${first} s)" \
    within "${first_ms:--1}" 0 $(((DEADLINE_S + 2) * 1000))
check "every scrape in the second half succeeded ($late_ok of $late)" \
    within "${late_ok:-0}" 1 "${late:-0}"
check "no scrape in the second half failed" [ "${late_ok:-0}" -eq "${late:-0}" ]
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
finish
