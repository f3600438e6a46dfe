#!/bin/sh
# A real Alertmanager (Debian package prometheus-alertmanager) on loopback
# receives the alerts `sandprobe serve` evaluates in the background: its own
# API must then list the firing alert with its labels and summary, and not
# the rule whose condition never holds. Then an engine whose strategy
# generator collapsed posts the default SandprobeDiversityCollapsed alert.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
ALERTMANAGER="${ALERTMANAGER:-/usr/bin/prometheus-alertmanager}"
[ -x "$ALERTMANAGER" ] || { echo "FAIL $ALERTMANAGER missing (scripts/install-packages.sh)"; echo "0 passed, 1 failed"; exit 1; }

am_port=$(free_port)
cat >"$WORK/alertmanager.yml" <<'EOF2'
route:
  receiver: "null"
  group_wait: 1s
receivers:
  - name: "null"
EOF2
"$ALERTMANAGER" --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am-data" \
    --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address="" >"$WORK/am.log" 2>&1 &
am_pid=$!

# alerts: the Alertmanager's active alerts as JSON (empty while it is not up).
alerts() { curl -sf --max-time 5 "http://127.0.0.1:$am_port/api/v2/alerts"; }
i=0
until alerts >/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then break; fi
    sleep 0.1
done
check "Alertmanager answers on 127.0.0.1:$am_port" alerts

cat >"$WORK/rules.lua" <<'EOF2'
return {
  { name = "SandprobeEngineUp", expr = "sandprobe_process_start_time_seconds > 0",
    labels = { severity = "info", team = "sandbox" }, summary = "the engine is running" },
  { name = "SandprobeNeverFires", expr = "sandprobe_host_load1 < 0" },
}
EOF2
start_serve "$WORK/serve.err" --interval 0.2 --alert-rules "$WORK/rules.lua" \
    --alertmanager "http://127.0.0.1:$am_port"
if [ -n "$SERVE_PORT" ]; then pass "serve listens (port $SERVE_PORT)"; else fail "serve listens" "$(cat "$WORK/serve.err")"; fi

# The firing alert reaches the Alertmanager within a few evaluation rounds.
found=""
i=0
while [ "$i" -lt 50 ]; do
    alerts >"$WORK/alerts.json" 2>/dev/null
    if grep -q SandprobeEngineUp "$WORK/alerts.json" 2>/dev/null; then found=1; break; fi
    i=$((i + 1)); sleep 0.2
done
if [ -n "$found" ]; then pass "the Alertmanager lists the firing alert"; else fail "the Alertmanager lists the firing alert" "$(cat "$WORK/alerts.json" "$WORK/am.log" 2>/dev/null | tail -n 20)"; fi
check "labels and summary arrive as sent" python3 -c '
import json, sys
alerts = json.load(open(sys.argv[1]))
mine = [a for a in alerts if a["labels"].get("alertname") == "SandprobeEngineUp"]
assert len(mine) == 1, alerts
a = mine[0]
assert a["labels"]["severity"] == "info" and a["labels"]["team"] == "sandbox", a["labels"]
assert a["annotations"]["summary"] == "the engine is running", a["annotations"]
assert a["status"]["state"] == "active", a["status"]
assert not [x for x in alerts if x["labels"].get("alertname") == "SandprobeNeverFires"], alerts
' "$WORK/alerts.json"

kill -TERM "$SERVE_PID" 2>/dev/null
wait_for_exit "$SERVE_PID" 10 || kill -KILL "$SERVE_PID" 2>/dev/null

# The default collapse rule, through the alert engine's background loop.
SANDPROBE_ALERTMANAGER="http://127.0.0.1:$am_port" SANDPROBE_HOLD_SECONDS=60 \
    "$SANDPROBE" selftest "$SANDPROBE_TESTS/integration/lua/collapsed_generator.lua" \
    >"$WORK/collapsed.out" 2>"$WORK/collapsed.err" &
collapsed_pid=$!
found=""
i=0
while [ "$i" -lt 75 ]; do
    alerts >"$WORK/alerts.json" 2>/dev/null
    if grep -q SandprobeDiversityCollapsed "$WORK/alerts.json" 2>/dev/null; then found=1; break; fi
    i=$((i + 1)); sleep 0.2
done
if [ -n "$found" ]; then pass "the Alertmanager lists SandprobeDiversityCollapsed"; else fail "the Alertmanager lists SandprobeDiversityCollapsed" "$(cat "$WORK/collapsed.err" "$WORK/alerts.json" 2>/dev/null | tail -n 20)"; fi
check "the collapse alert carries the default rule's severity and summary" python3 -c '
import json, sys
alerts = json.load(open(sys.argv[1]))
mine = [a for a in alerts if a["labels"].get("alertname") == "SandprobeDiversityCollapsed"]
assert len(mine) == 1, alerts
assert mine[0]["labels"]["severity"] == "warning", mine[0]["labels"]
assert mine[0]["annotations"]["summary"].startswith("The strategy generator has collapsed"), mine[0]["annotations"]
' "$WORK/alerts.json"
kill -TERM "$collapsed_pid" 2>/dev/null
wait_for_exit "$collapsed_pid" 10 || kill -KILL "$collapsed_pid" 2>/dev/null

kill -TERM "$am_pid" 2>/dev/null
wait_for_exit "$am_pid" 10 || kill -KILL "$am_pid" 2>/dev/null
finish
