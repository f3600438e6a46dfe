# A bounded soak (about two minutes, loopback only): pooled runs in one
# process, and the metrics endpoint under scrapers and slow clients. Fails
# on a wrong output, a failed scrape, or RSS or fd growth after the warm-up.
# SANDPROBE_SOAK_SECONDS sets each half's length (default 60).
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker
SECONDS_EACH="${SANDPROBE_SOAK_SECONDS:-60}"
RSS_SLACK_KB=2048 # allocator noise; a leak per run or per scrape is far more

# figure NAME: a key=value from $WORK/figures.
figure() { sed -n "s/.*\\b$1=\\([-0-9.]*\\).*/\\1/p" "$WORK/figures" | head -n 1; }

SANDPROBE_SOAK_SECONDS="$SECONDS_EACH" "$SANDPROBE" selftest "$SANDPROBE_TESTS/integration/lua/soak_pool.lua" \
    >"$WORK/pool.out" 2>&1
status=$?
grep '^runs=' "$WORK/pool.out" >"$WORK/figures"
echo "  pool: $(cat "$WORK/figures")"
expect_status "pool soak ran" 0 "$status"
check "pool: runs done ($(figure runs))" [ "$(figure runs)" -ge 50 ]
check "pool: no wrong output ($(figure wrong))" [ "$(figure wrong)" -eq 0 ]
check "pool: RSS flat after the warm-up ($(figure rss_warm_kb) -> $(figure rss_end_kb) kB)" \
    [ "$(figure rss_end_kb)" -le $(($(figure rss_warm_kb) + RSS_SLACK_KB)) ]
check "pool: no fd growth ($(figure fds_warm) -> $(figure fds_end))" [ "$(figure fds_end)" -le "$(figure fds_warm)" ]

start_serve "$WORK/serve.err"
if [ -z "$SERVE_PORT" ]; then
    fail "serve came up" "$(cat "$WORK/serve.err")"
else
    python3 "$SANDPROBE_TESTS/integration/scrape_soak.py" "$SERVE_PORT" "$SECONDS_EACH" "$SERVE_PID" >"$WORK/figures"
    echo "  serve: $(cat "$WORK/figures")"
    check "serve: scrapes answered ($(figure scrapes))" [ "$(figure scrapes)" -ge 100 ]
    check "serve: no scrape failed beside the slow clients ($(figure failures))" [ "$(figure failures)" -eq 0 ]
    check "serve: RSS flat after the warm-up ($(figure rss_warm_kb) -> $(figure rss_end_kb) kB)" \
        [ "$(figure rss_end_kb)" -le $(($(figure rss_warm_kb) + RSS_SLACK_KB)) ]
    check "serve: no fd growth once the clients left ($(figure fds_warm) -> $(figure fds_end))" \
        [ "$(figure fds_end)" -le "$(figure fds_warm)" ]
    kill -TERM "$SERVE_PID"
    wait "$SERVE_PID"
fi
finish
