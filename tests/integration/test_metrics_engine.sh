#!/bin/sh
# The engine's own metrics after real work, linted by promtool (Debian's
# `prometheus` package): `run --metrics-file` on the selftest pack and on the
# seed pack (real containers), `run --metrics-listen` scraped mid-run, and a
# live `sandprobe serve`: scraped twice (background sampling moves), alerts
# evaluated in the background and posted to a stand-in Alertmanager, stopped
# by SIGTERM.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker
command -v promtool >/dev/null || { echo "FAIL promtool missing (scripts/install-packages.sh)"; echo "0 passed, 1 failed"; exit 1; }

# value FILE SERIES: the sample value of an exact series line, or empty.
value() { grep -F "$2 " "$1" | grep -v '^#' | head -n 1 | awk '{print $NF}'; }

# --- run selftest --metrics-file -------------------------------------------
"$SANDPROBE" run selftest -j2 --timeout 5 --metrics-file "$WORK/selftest.prom" >/dev/null 2>&1
expect_status "run selftest --metrics-file (scenarios fail on purpose)" 1 $?
promtool_clean "run selftest textfile" "$WORK/selftest.prom"
[ "$(value "$WORK/selftest.prom" 'sandprobe_scenario_results_total{pack="selftest",status="pass"}')" -ge 1 ] 2>/dev/null &&
    pass "scenario results counted by pack and status" || fail "scenario results counted by pack and status"
count=$(value "$WORK/selftest.prom" 'sandprobe_scenario_duration_seconds_count{pack="selftest"}')
results=$(grep '^sandprobe_scenario_results_total{pack="selftest"' "$WORK/selftest.prom" | awk '{s += $NF} END {print s}')
[ -n "$count" ] && [ "$count" = "$results" ] && pass "one duration per scenario result ($count)" ||
    fail "one duration per scenario result" "count=$count results=$results"
ls "$WORK"/.selftest.prom.* >/dev/null 2>&1 && fail "a temporary textfile was left behind" || pass "no temporary textfile left"

# --- run seed --metrics-file --metrics-listen, scraped mid-run -------------
"$SANDPROBE" run seed --metrics-file "$WORK/seed.prom" --metrics-listen 127.0.0.1:0 \
    --format json --output "$WORK/seed.json" 2>"$WORK/seed.err" >/dev/null &
run_pid=$!
port=""
i=0
while [ -z "$port" ] && [ $i -lt 100 ]; do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$WORK/seed.err" | head -n 1)
    i=$((i + 1)); sleep 0.1
done
if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/metrics" -o "$WORK/mid.prom"; then
    pass "run --metrics-listen serves /metrics during the run"
    promtool_clean "mid-run scrape" "$WORK/mid.prom"
else
    fail "run --metrics-listen serves /metrics during the run" "$(cat "$WORK/seed.err")"
fi
wait $run_pid
status=$?
[ $status -le 1 ] && pass "run seed finished (status $status)" || fail "run seed finished" "status $status: $(cat "$WORK/seed.err")"
promtool_clean "run seed textfile" "$WORK/seed.prom"
families=$(grep -c '^# TYPE sandprobe_' "$WORK/seed.prom")
[ "$families" -ge 22 ] && pass "$families sandprobe_* families in the textfile" || fail "only $families families"
creates=$(value "$WORK/seed.prom" 'sandprobe_docker_requests_total{endpoint="/containers/create",method="POST"}')
[ -n "$creates" ] && [ "$creates" -ge 1 ] && pass "Docker create requests counted ($creates)" || fail "Docker create requests counted"
[ "$(value "$WORK/seed.prom" 'sandprobe_daemon_reachable')" = 1 ] && pass "daemon reachable" || fail "daemon reachable"
samples=$(value "$WORK/seed.prom" 'sandprobe_monitor_samples_total')
[ -n "$samples" ] && [ "$samples" -ge 1 ] && pass "the monitor sampled during the run ($samples)" || fail "the monitor sampled during the run"
grep -E 'endpoint="[^"]*[0-9a-f]{12}' "$WORK/seed.prom" >/dev/null && fail "an endpoint label holds an id" || pass "endpoint labels are templates"
"$SANDPROBE" run seed --metrics-listen nonsense >/dev/null 2>&1
expect_status "a malformed --metrics-listen is a usage error" 2 $?

# --- sandprobe serve ---------------------------------------------------------
# A stand-in Alertmanager: records the body of every POST /api/v2/alerts.
cat >"$WORK/am.py" <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[1], "ab") as f:
            f.write(self.path.encode() + b" " + body + b"\n")
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write(str(s.server_port))
s.serve_forever()
PY
python3 "$WORK/am.py" "$WORK/posts.txt" "$WORK/am.port" &
am_pid=$!
wait_for_file "$WORK/am.port" 10
cat >"$WORK/rules.lua" <<'EOF2'
return {
  { name = "TestEngineStarted", expr = "sandprobe_process_start_time_seconds > 0",
    labels = { severity = "info" }, summary = "fires at once" },
  { name = "TestNeverFires", expr = "sandprobe_host_load1 < 0" },
}
EOF2
start_serve "$WORK/serve.err" --interval 0.2 --alert-rules "$WORK/rules.lua" \
    --alertmanager "http://127.0.0.1:$(cat "$WORK/am.port")"
if [ -n "$SERVE_PORT" ]; then
    pass "serve listens (port $SERVE_PORT)"
    sleep 1
    curl -sf "http://127.0.0.1:$SERVE_PORT/metrics" -o "$WORK/serve1.prom"
    sleep 1
    curl -sf -D "$WORK/serve2.headers" "http://127.0.0.1:$SERVE_PORT/metrics" -o "$WORK/serve2.prom"
    promtool_clean "serve scrape" "$WORK/serve2.prom"
    grep -qi '^content-type: text/plain; version=0.0.4; charset=utf-8' "$WORK/serve2.headers" &&
        pass "serve: text format content type" || fail "serve: text format content type"
    s1=$(value "$WORK/serve1.prom" sandprobe_monitor_samples_total)
    s2=$(value "$WORK/serve2.prom" sandprobe_monitor_samples_total)
    [ -n "$s1" ] && [ -n "$s2" ] && [ "$s2" -gt "$s1" ] && pass "serve samples in the background ($s1 -> $s2)" ||
        fail "serve samples in the background" "$s1 -> $s2"
    [ "$(value "$WORK/serve2.prom" 'sandprobe_alerts_firing{alertname="TestEngineStarted"}')" = 1 ] &&
        pass "serve: firing alert exposed" || fail "serve: firing alert exposed"
    [ "$(value "$WORK/serve2.prom" 'sandprobe_alerts_firing{alertname="TestNeverFires"}')" = 0 ] &&
        pass "serve: inactive alert exposed as 0" || fail "serve: inactive alert exposed as 0"
    [ "$(value "$WORK/serve2.prom" sandprobe_daemon_reachable)" = 1 ] && pass "serve: daemon pinged" || fail "serve: daemon pinged"
    grep -q '^/api/v2/alerts .*"alertname":"TestEngineStarted"' "$WORK/posts.txt" 2>/dev/null &&
        pass "serve posts firing alerts to the Alertmanager" || fail "serve posts firing alerts to the Alertmanager" "$(cat "$WORK/posts.txt" 2>/dev/null)"
    grep -q 'TestNeverFires' "$WORK/posts.txt" 2>/dev/null && fail "an inactive alert was posted" || pass "inactive alerts are not posted"
    kill -TERM "$SERVE_PID"
    if wait_for_exit "$SERVE_PID" 10; then
        wait "$SERVE_PID"
        expect_status "serve stops on SIGTERM" 0 $?
        grep -q "stopping" "$WORK/serve.err" && pass "serve says it stops" || fail "serve says it stops"
    else
        fail "serve did not stop within 10 s of SIGTERM"
        kill -KILL "$SERVE_PID"
    fi
else
    fail "serve listens" "$(cat "$WORK/serve.err")"
    kill "$SERVE_PID" 2>/dev/null
fi
kill "$am_pid" 2>/dev/null

# A daemon that is not there: the ping fails, is counted as an error of its
# endpoint, and the daemon is marked unreachable.
start_serve "$WORK/down.err" --host "unix://$WORK/no-daemon.sock" --interval 0.2
if [ -n "$SERVE_PORT" ]; then
    sleep 1
    curl -sf "http://127.0.0.1:$SERVE_PORT/metrics" -o "$WORK/down.prom"
    [ "$(value "$WORK/down.prom" sandprobe_daemon_reachable)" = 0 ] &&
        pass "serve: an absent daemon is unreachable" || fail "serve: an absent daemon is unreachable"
    errors=$(value "$WORK/down.prom" 'sandprobe_docker_request_errors_total{endpoint="/_ping"}')
    [ -n "$errors" ] && [ "$errors" -ge 1 ] && pass "serve: failed pings counted as errors ($errors)" ||
        fail "serve: failed pings counted as errors"
    kill -TERM "$SERVE_PID"
    wait_for_exit "$SERVE_PID" 10 || kill -KILL "$SERVE_PID"
else
    fail "serve listens with an absent daemon" "$(cat "$WORK/down.err")"
fi

# --duration stops it by itself; usage errors are exit 2.
"$SANDPROBE" serve --metrics-listen 127.0.0.1:0 --interval 0.1 --duration 0.5 2>/dev/null
expect_status "serve --duration ends by itself" 0 $?
"$SANDPROBE" serve --interval 1 2>/dev/null
expect_status "serve without --metrics-listen" 2 $?
"$SANDPROBE" serve --metrics-listen 127.0.0.1:0 --alert-rules "$WORK/missing.lua" 2>/dev/null
expect_status "serve with a missing rules file" 2 $?

finish
