#!/bin/sh
# `sandprobe bench` end to end, small: the JSON report has the promised
# shape, every run succeeded, the parallel runs were isolated and nothing is
# left behind. Speed is reported by the bench, never asserted here.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

"$SANDPROBE" bench --runs 3 --parallel 2 --pool 1 --format json >"$WORK/b.json" 2>"$WORK/err.txt" &
bench_pid=$!
wait "$bench_pid"
expect_status "bench --format json exits 0" 0 $?

if python3 - "$WORK/b.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("docker_run", "cold", "pooled", "parallel"):
    part = doc[key]
    for field in ("runs", "p50_s", "p95_s", "max_s"):
        assert isinstance(part[field], (int, float)), (key, field, part.get(field))
    assert part["p50_s"] <= part["p95_s"] <= part["max_s"], (key, part)
    assert part["errors"] == 0, (key, part)
assert doc["docker_run"]["runs"] == 3 and doc["parallel"]["runs"] == 2, doc["parallel"]
for phase in ("create", "start", "attach", "wait", "logs", "remove"):
    assert doc["cold"]["phases"][phase]["runs"] == 3, phase
assert doc["pooled"]["stats"]["served"] == 3 and doc["pooled"]["stats"]["misses"] == 0, doc["pooled"]["stats"]
b2b = doc["pooled"]["back_to_back"]
assert b2b["runs"] == 3 and b2b["errors"] == 0 and b2b["throughput_per_s"] > 0, b2b
assert doc["parallel"]["isolated"] is True
assert doc["orphans"] == 0
for part in ("short", "one_second"):
    assert isinstance(doc["overhead"][part]["pooled_pct"], (int, float)), part
assert {"pooled_speedup_vs_docker_run", "cold_vs_docker_run", "parallel_throughput_vs_daemon"} <= set(doc["ratios"])
assert len(doc["targets"]) == 6 and all(isinstance(t["met"], bool) for t in doc["targets"])
PY
then pass "JSON report: keys, phases, pool stats, isolation, no orphans"
else fail "JSON report" "$(head -c 2000 "$WORK/b.json")"
fi

# Asked of the daemon with the docker CLI, independently of the engine.
left="$(docker ps -aq --filter label=sandprobe.managed=true --filter "label=sandprobe.pid=$bench_pid" | wc -l)"
[ "$left" -eq 0 ] && pass "no container left" || fail "no container left ($left)"

"$SANDPROBE" bench --runs 0 >/dev/null 2>&1
expect_status "--runs 0 is a usage error" 2 $?
"$SANDPROBE" bench --format xml >/dev/null 2>&1
expect_status "--format xml is a usage error" 2 $?
"$SANDPROBE" bench extra >/dev/null 2>&1
expect_status "a stray argument is a usage error" 2 $?

finish
