#!/bin/sh
# A real Prometheus server (Debian package `prometheus`) on loopback scrapes a
# live `sandprobe serve` every second; its HTTP API must then answer queries
# for the engine's metrics: sandprobe_build_info, the target up, and a
# background-sampled counter that Prometheus saw grow. It also loads
# contrib/prometheus/sandprobe-rules.yml and scrapes a second engine whose
# generator has collapsed: the SandprobeDiversityCollapsed alert must fire.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
PROMETHEUS="${PROMETHEUS:-/usr/bin/prometheus}"
[ -x "$PROMETHEUS" ] || { echo "FAIL $PROMETHEUS missing (scripts/install-packages.sh)"; echo "0 passed, 1 failed"; exit 1; }

# query EXPR: the first result's value from the Prometheus HTTP API, or empty.
query() {
    curl -sf --max-time 5 -G "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
        python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null
}

# wait_for_query EXPR SECONDS: polls until EXPR has a value; prints it.
wait_for_query() {
    deadline=$(($(date +%s) + $2))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        v=$(query "$1")
        [ -n "$v" ] && { echo "$v"; return 0; }
        sleep 0.5
    done
    return 1
}

start_serve "$WORK/serve.err" --interval 0.5
if [ -z "$SERVE_PORT" ]; then
    fail "serve listens" "$(cat "$WORK/serve.err")"
    kill "$SERVE_PID" 2>/dev/null
    finish; exit 1
fi
pass "serve listens (port $SERVE_PORT)"

# A second engine, whose generator collapsed, serves its metrics too.
SANDPROBE_HOLD_SECONDS=120 "$SANDPROBE" selftest "$SANDPROBE_TESTS/integration/lua/collapsed_generator.lua" \
    >"$WORK/collapsed.out" 2>"$WORK/collapsed.err" &
collapsed_pid=$!
collapsed_port=""
i=0
while [ -z "$collapsed_port" ] && [ "$i" -lt 150 ]; do
    collapsed_port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$WORK/collapsed.err" 2>/dev/null | head -n 1)
    i=$((i + 1)); sleep 0.1
done
[ -n "$collapsed_port" ] && pass "the collapsed generator serves its metrics (port $collapsed_port)" ||
    fail "the collapsed generator serves its metrics" "$(cat "$WORK/collapsed.err")"

prom_port=$(free_port)
cat >"$WORK/prometheus.yml" <<EOF2
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - "$SANDPROBE_SOURCE/contrib/prometheus/sandprobe-rules.yml"
scrape_configs:
  - job_name: sandprobe
    static_configs:
      - targets: ["127.0.0.1:$SERVE_PORT"]
  - job_name: sandprobe-generator
    static_configs:
      - targets: ["127.0.0.1:$collapsed_port"]
EOF2
"$PROMETHEUS" --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" >"$WORK/prometheus.log" 2>&1 &
prom_pid=$!

if v=$(wait_for_query 'sandprobe_build_info{job="sandprobe"}' 30); then
    pass "Prometheus stored sandprobe_build_info scraped from the engine (value $v)"
else
    fail "Prometheus has no sandprobe_build_info after 30 s" "$(tail -n 20 "$WORK/prometheus.log")"
fi
[ "$(query 'up{job="sandprobe"}')" = 1 ] && pass "the engine target is up" ||
    fail "the engine target is up" "$(curl -s "http://127.0.0.1:$prom_port/api/v1/targets")"
families=$(curl -sf -G "http://127.0.0.1:$prom_port/api/v1/label/__name__/values" |
    python3 -c 'import json, sys; print(len([n for n in json.load(sys.stdin)["data"] if n.startswith("sandprobe_")]))')
[ "${families:-0}" -ge 22 ] && pass "Prometheus knows $families sandprobe_* series names" ||
    fail "Prometheus knows only ${families:-0} sandprobe_* series names"
if v=$(wait_for_query 'increase(sandprobe_monitor_samples_total[10s]) > 0' 20); then
    pass "Prometheus saw the background monitor's counter grow ($v in 10 s)"
else
    fail "Prometheus did not see sandprobe_monitor_samples_total grow"
fi

rules=$(curl -sf "http://127.0.0.1:$prom_port/api/v1/rules" | python3 -c 'import json, sys
groups = json.load(sys.stdin)["data"]["groups"]
print(sum(1 for g in groups for r in g["rules"] if r["type"] == "alerting" and r["health"] == "ok"))' 2>/dev/null)
[ "${rules:-0}" -eq 5 ] && pass "Prometheus loaded the 5 sandprobe alerting rules, all healthy" ||
    fail "Prometheus loaded ${rules:-0} healthy sandprobe alerting rules (want 5)"
if v=$(wait_for_query 'ALERTS{alertname="SandprobeDiversityCollapsed",alertstate="firing",job="sandprobe-generator"}' 30); then
    pass "SandprobeDiversityCollapsed is firing in Prometheus for the collapsed generator"
else
    fail "SandprobeDiversityCollapsed did not fire within 30 s" "$(curl -s "http://127.0.0.1:$prom_port/api/v1/alerts")"
fi
[ -z "$(query 'ALERTS{alertname="SandprobeDiversityCollapsed",job="sandprobe"}')" ] &&
    pass "it does not fire for the engine whose generator did not collapse" ||
    fail "SandprobeDiversityCollapsed fires for the healthy engine"
kill -TERM "$collapsed_pid"
wait_for_exit "$collapsed_pid" 10 || kill -KILL "$collapsed_pid"

kill -TERM "$prom_pid"
wait_for_exit "$prom_pid" 20 || kill -KILL "$prom_pid"
kill -TERM "$SERVE_PID"
if wait_for_exit "$SERVE_PID" 10; then
    wait "$SERVE_PID"
    expect_status "serve stops on SIGTERM" 0 $?
else
    fail "serve did not stop within 10 s"
    kill -KILL "$SERVE_PID"
fi
finish
