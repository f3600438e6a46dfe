#!/bin/sh
# HTML reports in a real browser (Debian's chromium, headless): pages written
# by `run --format html`, `report FILE.json`, `bench`'s and `doctor`'s
# writers are built by chromium, whose DOM must have the page's structure
# (summary bar, five layers, one article per scenario, the runtime matrix,
# p50/p95 marks on the latency charts, one dot per run), no element the page did not write
# (hostile evidence stays text), and no element overflowing the viewport, its
# own box or its chart, at a desktop and a phone width. A screenshot of each
# is taken. Also: `report` refuses what is not a sandprobe JSON report with
# exit 2 and one line, and writes nothing.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
CHECK="$SANDPROBE_TESTS/integration/report_dom_check.py"
FIXTURES="$SANDPROBE_TESTS/fixtures/report"
[ -x "$CHROMIUM" ] || { echo "FAIL $CHROMIUM missing (scripts/install-packages.sh)"; echo "0 passed, 1 failed"; exit 1; }

# browser ARGS...: chromium headless, isolated from the network and from any
# profile (a fresh one per call).
browser() {
    profile=$(mktemp -d "$WORK/profile.XXXXXX")
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
        --hide-scrollbars "$@" 2>>"$WORK/chromium.log"
}

# page_checks NAME KIND PAGE [JSON]: static, structure, overflow, screenshot.
page_checks() {
    name=$1 kind=$2 page=$3 report=${4:-}
    # Markup can only come from the writer (evidence is escaped), so these
    # are the page's own; the DOM check below looks at every attribute.
    style=$(python3 -c 'import re, sys; print("".join(re.findall(r"<style>(.*?)</style>", open(sys.argv[1], encoding="utf-8", errors="replace").read(), re.S)))' "$page")
    if grep -Eiq '<script|<link|<img|<iframe|<object|<embed' "$page" || echo "$style" | grep -Eiq '@import|url\('; then
        fail "$name: self-contained (no script, no fetch)" "$(grep -Eio '<script|<link|<img|<iframe|<object|<embed' "$page" | sort -u | tr '\n' ' ')"
    else
        pass "$name: self-contained (no script, no fetch)"
    fi
    browser --window-size=1200,900 --dump-dom "file://$page" >"$page.dom"
    if out=$(python3 "$CHECK" check "$kind" "$page.dom" $report); then
        pass "$name: chromium's DOM has the page's structure"
    else
        fail "$name: chromium's DOM has the page's structure" "$out"
    fi
    python3 "$CHECK" inject "$page" "$page.probe.html"
    for width in 1200 400; do
        browser --window-size=$width,900 --dump-dom "file://$page.probe.html" >"$page.probe.$width.dom"
        if out=$(python3 "$CHECK" overflow "$page.probe.$width.dom"); then
            pass "$name: nothing overflows at $width px"
        else
            fail "$name: something overflows at $width px" "$out"
        fi
    done
    rm -f "$page.png"
    browser --window-size=1200,1600 --screenshot="$page.png" "file://$page" >/dev/null
    if [ "$(head -c 8 "$page.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] &&
        [ "$(wc -c <"$page.png")" -gt 20000 ]; then
        pass "$name: screenshot taken ($(wc -c <"$page.png") bytes)"
    else
        fail "$name: screenshot taken" "$(tail -n 5 "$WORK/chromium.log")"
    fi
    [ -n "${SANDPROBE_SCREENSHOTS:-}" ] && cp "$page.png" "$SANDPROBE_SCREENSHOTS/$name.png"
    browser --print-to-pdf="$page.pdf" --no-pdf-header-footer "file://$page" >/dev/null
    if [ "$(head -c 5 "$page.pdf" 2>/dev/null)" = "%PDF-" ] && [ "$(wc -c <"$page.pdf")" -gt 10000 ]; then
        pass "$name: prints to PDF ($(wc -c <"$page.pdf") bytes)"
    else
        fail "$name: prints to PDF" "$(tail -n 5 "$WORK/chromium.log")"
    fi
    return 0
}

# A real run (the selftest pack needs no daemon), its JSON and its HTML.
"$SANDPROBE" run selftest -f json -o "$WORK/run.json" -f html -o "$WORK/run.html" >/dev/null 2>&1
expect_status "run writes json and html (selftest has failing scenarios on purpose)" 1 $?
page_checks run run "$WORK/run.html" "$WORK/run.json"
"$SANDPROBE" report "$WORK/run.json" --format html -o "$WORK/run-again.html"
expect_status "report renders the saved JSON" 0 $?
cmp -s "$WORK/run.html" "$WORK/run-again.html" && pass "report FILE.json renders the same page as run --format html" ||
    fail "report FILE.json renders the same page as run --format html"

# The overflow probe itself finds overflow: a page with a too-wide block and
# a label outside its chart must be reported.
sed 's|</main>|<div style="width:3000px">wide</div><svg viewBox="0 0 100 20" width="100" height="20"><text x="90" y="15">outside the chart</text></svg></main>|' \
    "$WORK/run.html" >"$WORK/overflowing.html"
python3 "$CHECK" inject "$WORK/overflowing.html" "$WORK/overflowing.probe.html"
browser --window-size=1200,900 --dump-dom "file://$WORK/overflowing.probe.html" >"$WORK/overflowing.dom"
out=$(python3 "$CHECK" overflow "$WORK/overflowing.dom")
if [ $? -ne 0 ] && echo "$out" | grep -q "wider than\|spans\|scrolls sideways" && echo "$out" | grep -q "leaves its chart"; then
    pass "the overflow probe reports a too-wide block and a label outside its chart"
else
    fail "the overflow probe missed planted overflow" "$out"
fi

# Hostile evidence and two runtimes.
"$SANDPROBE" report "$FIXTURES/hostile_run.json" -o "$WORK/hostile.html"
expect_status "report renders the hostile fixture" 0 $?
page_checks hostile run "$WORK/hostile.html" "$FIXTURES/hostile_run.json"

# Bench charts, from a saved bench result.
"$SANDPROBE" report "$FIXTURES/bench.json" -o "$WORK/bench.html"
expect_status "report renders a bench result" 0 $?
page_checks bench bench "$WORK/bench.html" "$FIXTURES/bench.json"

# A real, short bench against the daemon, written by bench --format html.
"$SANDPROBE" bench --runs 3 --parallel 2 --pool 1 --format html >"$WORK/bench-live.html" 2>/dev/null
expect_status "bench --format html on the real daemon" 0 $?
page_checks bench-live bench-live "$WORK/bench-live.html"

# Doctor against the real daemon.
"$SANDPROBE" doctor --format json >"$WORK/doctor.json"
"$SANDPROBE" doctor --format html >"$WORK/doctor.html"
page_checks doctor doctor "$WORK/doctor.html" "$WORK/doctor.json"

# A doctor report whose runtime name and detail are single words far wider
# than a card, as a daemon or a hostile config may report them.
"$SANDPROBE" report "$FIXTURES/doctor_long_names.json" -o "$WORK/doctor-long.html"
expect_status "report renders a doctor report with unbreakable names" 0 $?
page_checks doctor-long doctor "$WORK/doctor-long.html" "$FIXTURES/doctor_long_names.json"

# Refusals: one line on stderr, exit 2, no output file.
refuse() { # NAME FILE EXPECTED-TEXT
    rm -f "$WORK/refused.html"
    "$SANDPROBE" report "$2" -o "$WORK/refused.html" 2>"$WORK/refuse.err" >/dev/null
    status=$?
    lines=$(wc -l <"$WORK/refuse.err")
    if [ "$status" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "$3" "$WORK/refuse.err" && [ ! -e "$WORK/refused.html" ]; then
        pass "report refuses $1: $(cat "$WORK/refuse.err")"
    else
        fail "report refuses $1 (exit $status, $lines lines, file left: $([ -e "$WORK/refused.html" ] && echo yes || echo no))" "$(cat "$WORK/refuse.err")"
    fi
}
head -c 300 "$WORK/run.json" >"$WORK/truncated.json"
refuse "a truncated report" "$WORK/truncated.json" "not JSON"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["results"]=d["results"][:-1]; json.dump(d, open(sys.argv[2],"w"))' \
    "$WORK/run.json" "$WORK/short.json"
refuse "a report missing results" "$WORK/short.json" "truncated"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["schema"]=2; json.dump(d, open(sys.argv[2],"w"))' \
    "$WORK/run.json" "$WORK/schema2.json"
refuse "another schema version" "$WORK/schema2.json" "schema version 2"
echo '{"name": "not sandprobe", "items": [1, 2]}' >"$WORK/other.json"
refuse "another program's JSON" "$WORK/other.json" "not a sandprobe JSON report"
refuse "a missing file" "$WORK/does-not-exist.json" "does-not-exist.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["cold"]["p95_s"]="<svg onload=x>"; json.dump(d, open(sys.argv[2],"w"))' \
    "$FIXTURES/bench.json" "$WORK/bad-bench.json"
refuse "a bench result with a string for a number" "$WORK/bad-bench.json" "cold.p95_s is not a number"
printf '\x89PNG\r\n' >"$WORK/binary.json"
refuse "a binary file" "$WORK/binary.json" "not JSON"
"$SANDPROBE" report "$WORK/run.json" --format pdf >/dev/null 2>"$WORK/usage.err"
expect_status "an unknown --format is a usage error" 2 $?
finish
