#!/bin/sh
# Lints the engine's metrics with promtool (Debian package `prometheus`): every
# catalogue family recorded once, written as a node_exporter textfile and
# scraped from /metrics in both formats. promtool must report nothing.
set -u
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

if ! command -v promtool >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    echo "promtool or curl missing: run scripts/install-packages.sh"
    echo "0 passed, 1 failed"
    exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if METRICS_OUT="$out" "$SANDPROBE" selftest "$SANDPROBE_TESTS/fixtures/metrics/record_catalogue.lua"; then
    pass "catalogue recorded and exposed"
else
    fail "catalogue recorded and exposed"
fi

lint() { # name file
    if [ ! -s "$2" ]; then
        fail "$1: $2 missing or empty"
        return
    fi
    report=$(promtool check metrics <"$2" 2>&1)
    status=$?
    if [ $status -eq 0 ] && [ -z "$report" ]; then
        pass "$1: promtool check metrics is clean"
    else
        fail "$1: promtool check metrics (exit $status):"
        echo "$report" | sed 's/^/    /'
    fi
}
lint "textfile" "$out/sandprobe.prom"
lint "scrape" "$out/scrape.txt"

# The alerting rules shipped for Prometheus: valid, and behaving as the
# default rules do (promtool's own rule unit tests on synthetic series).
rules="$SANDPROBE_SOURCE/contrib/prometheus/sandprobe-rules.yml"
if report=$(promtool check rules "$rules" 2>&1); then
    pass "promtool check rules: $(echo "$report" | grep -o '[0-9]* rules found')"
else
    fail "promtool check rules"; echo "$report" | sed 's/^/    /'
fi
if report=$(promtool test rules "$SANDPROBE_TESTS/prometheus/sandprobe-rules.test.yml" 2>&1); then
    pass "promtool test rules: every rule fires after its hold time and not before"
else
    fail "promtool test rules"; echo "$report" | sed 's/^/    /'
fi

families=$(grep -c '^# TYPE sandprobe_' "$out/sandprobe.prom" 2>/dev/null || echo 0)
if [ "$families" -ge 22 ]; then
    pass "$families sandprobe_* families have TYPE"
else
    fail "only $families sandprobe_* families have TYPE (want >= 22)"
fi
helps=$(grep -c '^# HELP sandprobe_' "$out/sandprobe.prom" 2>/dev/null || echo 0)
[ "$helps" -eq "$families" ] && pass "every family has HELP" || fail "$helps HELP lines for $families families"

# Every family moved: no sandprobe_ sample line left at 0 except the alert
# recorded as not firing and the histogram buckets below the observation.
zero=$(grep '^sandprobe_' "$out/sandprobe.prom" | grep -v '_bucket{' | grep -v 'alertname="HostMemoryLow"' | grep ' 0$')
[ -z "$zero" ] && pass "recorded families are not zero" || { fail "families still at 0:"; echo "$zero"; }

grep -qi '^content-type: text/plain; version=0.0.4; charset=utf-8' "$out/scrape.txt.headers" &&
    pass "text format content type" || fail "text format content type"
grep -qi '^content-type: application/openmetrics-text; version=1.0.0; charset=utf-8' "$out/scrape.om.headers" &&
    pass "OpenMetrics content type" || fail "OpenMetrics content type"
[ "$(tail -n 1 "$out/scrape.om")" = "# EOF" ] && pass "OpenMetrics ends with # EOF" || fail "OpenMetrics ends with # EOF"
grep -q '^# TYPE sandprobe_sandbox_executions counter$' "$out/scrape.om" &&
    pass "OpenMetrics counter family named without _total" || fail "OpenMetrics counter family name"

# promtool reads only the text format: the OpenMetrics scrape goes through the
# strict parser of the Python client (Debian's python3-prometheus-client).
python=/usr/bin/python3
[ -x "$python" ] || python=python3
if om_report=$("$python" - "$out/scrape.om" 2>&1 <<'PY'
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
families = list(text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()))
names = [f.name for f in families if f.name.startswith("sandprobe_")]
assert len(names) >= 22, names
PY
); then
    pass "OpenMetrics scrape parses with the strict OpenMetrics parser"
else
    fail "OpenMetrics scrape does not parse:"
    echo "$om_report" | sed 's/^/    /'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
