#!/bin/sh
# The runner end to end on the selftest pack: statuses, exit codes, every
# report format parsed back, selection, --set, --pack-path, usage errors.
# Needs no Docker.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# Statuses and the exit code of a run with failures.
"$SANDPROBE" run selftest --jobs 3 --timeout 5 \
    --format json --output "$OUT/r.json" --format junit --output "$OUT/r.xml" \
    --format tap --output "$OUT/r.tap" --format markdown --output "$OUT/r.md" \
    --format text >"$OUT/r.txt" 2>"$OUT/err.txt"
expect_status "run with failing scenarios" 1 $?

python3 - "$OUT/r.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["schema"] == 1 and doc["tool"]["name"] == "sandprobe", doc["tool"]
st = {r["id"]: r for r in doc["results"]}
want = {
    "selftest.status.pass": "pass", "selftest.status.fail_check": "fail",
    "selftest.status.fail_stop": "fail", "selftest.status.skip": "skip",
    "selftest.status.error_runtime": "error", "selftest.error_syntax": "error",
    "selftest.status.no_checks": "error", "selftest.timeout.loop": "error",
    "selftest.timeout.pcall": "error", "selftest.timeout.coroutine": "error",
    "selftest.env.escapes": "pass", "selftest.args.values": "pass",
    "selftest.require.pack_lib": "pass",
}
for k, v in want.items():
    assert st[k]["status"] == v, (k, st[k]["status"], st[k]["message"])
assert "error_runtime.lua:8:" in st["selftest.status.error_runtime"]["message"]
assert "error_syntax.lua:6:" in st["selftest.error_syntax"]["message"]
assert "timed out" in st["selftest.timeout.pcall"]["message"]
assert st["selftest.status.fail_check"]["evidence"]["reached_after_failed_check"] is True
assert st["selftest.status.fail_stop"]["message"] == "stopped on purpose"
assert "unreachable" not in st["selftest.status.fail_stop"]["evidence"]
assert st["selftest.status.skip"]["message"] == "nothing to do here"
ids = [r["id"] for r in doc["results"]]
assert ids == sorted(ids, key=ids.index)  # stable order
for r in doc["results"]:
    for key in ("id", "pack", "title", "tags", "status", "duration_s", "message", "evidence", "remediation"):
        assert key in r, (r["id"], key)
s = doc["summary"]
assert (s["pass"], s["fail"], s["error"], s["skip"], s["total"]) == (4, 2, 6, 1, 13), s
PY
expect_status "JSON report content" 0 $?

python3 - "$OUT/r.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites" and root.get("tests") == "13", root.attrib
suite = root.find("testsuite")
assert suite.get("name") == "selftest" and suite.get("failures") == "2" and suite.get("errors") == "6"
cases = {c.get("name"): c for c in suite.findall("testcase")}
assert cases["selftest.status.fail_check"].find("failure") is not None
assert cases["selftest.timeout.loop"].find("error") is not None
assert cases["selftest.status.skip"].find("skipped") is not None
assert "reached_after_failed_check" in cases["selftest.status.fail_check"].find("system-out").text
PY
expect_status "JUnit report parses" 0 $?

head -n 2 "$OUT/r.tap" | tr '\n' ' ' | grep -q '^TAP version 13 1\.\.13 $'
expect_status "TAP header and plan" 0 $?
expect_status "TAP not-ok count" 8 "$(grep -c '^not ok ' "$OUT/r.tap")"
grep -q '^ok [0-9]* - selftest.status.skip .* # SKIP nothing to do here$' "$OUT/r.tap"
expect_status "TAP skip directive" 0 $?
grep -q '^| \*\*FAIL\*\* | ` selftest.status.fail_check `' "$OUT/r.md"
expect_status "Markdown table row" 0 $?
grep -q '13 scenarios: 4 passed, 2 failed, 6 errors, 1 skipped' "$OUT/r.txt"
expect_status "text summary" 0 $?
grep -q 'remediation: Nothing to fix' "$OUT/r.txt"
expect_status "text shows failure evidence and remediation" 0 $?
if grep -q "$(printf '\033')" "$OUT/r.txt"; then fail "no colour when not a terminal"; else pass "no colour when not a terminal"; fi

# Each --output belongs to the --format just before it.
"$SANDPROBE" run selftest.status.pass --format text --format json --output "$OUT/pair.json" \
    --format tap --output "$OUT/pair.tap" >"$OUT/pair.txt" 2>&1
expect_status "format/output pairs" 0 $?
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT/pair.json"
expect_status "the --output after --format json holds JSON" 0 $?
grep -q '^TAP version 13$' "$OUT/pair.tap" && pass "the --output after --format tap holds TAP" || fail "the --output after --format tap holds TAP"
grep -q '1 scenarios: 1 passed' "$OUT/pair.txt" && pass "the unpaired text report goes to stdout" || fail "the unpaired text report goes to stdout"
"$SANDPROBE" run selftest.status.pass --output "$OUT/orphan.json" >/dev/null 2>"$OUT/e0"
expect_status "--output without a --format before it" 2 $?
grep -q "must follow the --format" "$OUT/e0" && pass "--output without --format: message" || fail "--output without --format: message"

# On a terminal: progress lines in colour, none with NO_COLOR set.
if command -v script >/dev/null 2>&1; then
    script -qec "$SANDPROBE run selftest.status.pass selftest.status.skip" /dev/null >"$OUT/tty.txt" 2>&1
    grep -q "$(printf '\033')\[32mPASS" "$OUT/tty.txt" && pass "colour on a terminal" || fail "colour on a terminal"
    NO_COLOR=1 script -qec "$SANDPROBE run selftest.status.pass" /dev/null >"$OUT/tty2.txt" 2>&1
    if grep -q "$(printf '\033')" "$OUT/tty2.txt"; then fail "NO_COLOR honoured"; else pass "NO_COLOR honoured"; fi
    expect_status "each scenario shown once on a terminal" 1 "$(grep -c 'selftest.status.pass' "$OUT/tty2.txt")"
else
    fail "script(1) from bsdutils is needed to test terminal output"
fi

# A passing selection exits 0; --set reaches t.args.
"$SANDPROBE" run 'selftest and quick and not expected-failure' >/dev/null 2>&1
expect_status "passing selection" 0 $?
"$SANDPROBE" run selftest.args.values --set greeting=bonjour --set expect_greeting=bonjour >/dev/null 2>&1
expect_status "--set overrides a pack default" 0 $?
"$SANDPROBE" run selftest.args.values --set greeting=bonjour >/dev/null 2>&1
expect_status "--set value checked by the scenario" 1 $?
"$SANDPROBE" run selftest.args.values --set repeat_count=many >/dev/null 2>&1
expect_status "--set non-number for a numeric default" 2 $?

# --timeout applies to scenarios without their own.
"$SANDPROBE" run selftest.status.pass --timeout 0.5 >/dev/null 2>&1
expect_status "--timeout accepted" 0 $?

# Usage and configuration errors: exit 2 with one line.
"$SANDPROBE" run no.such.scenario >/dev/null 2>"$OUT/e1"
expect_status "empty selection" 2 $?
grep -q "no scenario matches 'no.such.scenario'" "$OUT/e1" && pass "empty selection message" || fail "empty selection message"
"$SANDPROBE" run selftest --bogus >/dev/null 2>"$OUT/e2"
expect_status "unknown option" 2 $?
"$SANDPROBE" run 'selftest and' >/dev/null 2>&1
expect_status "malformed selection" 2 $?
"$SANDPROBE" run selftest --format xml >/dev/null 2>&1
expect_status "unknown format" 2 $?
"$SANDPROBE" run selftest --format json --format tap >/dev/null 2>&1
expect_status "two reports to stdout" 2 $?
"$SANDPROBE" run selftest --pack-path /nonexistent >/dev/null 2>&1
expect_status "unreadable pack path" 2 $?
"$SANDPROBE" run selftest --trust nopack >/dev/null 2>&1
expect_status "unknown trusted pack" 2 $?
"$SANDPROBE" frobnicate >/dev/null 2>&1
expect_status "unknown command" 2 $?

# An outside pack, added without recompiling; a broken pack.lua is exit 2.
mkdir -p "$OUT/packs/team" "$OUT/packs/team/lib" "$OUT/broken/bad"
cat >"$OUT/packs/team/pack.lua" <<'LUA'
return { name = "team", description = "a team's own pack", version = "1" }
LUA
cat >"$OUT/packs/team/lib/teamlib.lua" <<'LUA'
return { answer = function() return 42 end }
LUA
cat >"$OUT/packs/team/check.lua" <<'LUA'
local lib = require("teamlib")
return { id = "team.answer", title = "team module", tags = { "team" },
         run = function(t) t:check(lib.answer() == 42, "answer") end }
LUA
cat >"$OUT/packs/team/trusted.lua" <<'LUA'
return { id = "team.trusted_io", title = "io only when trusted", tags = { "trusted" },
         run = function(t) t:check(pcall(function() return io.stdout end), "io reachable") end }
LUA
"$SANDPROBE" run team.answer --pack-path "$OUT/packs" >/dev/null 2>&1
expect_status "--pack-path pack runs" 0 $?
SANDPROBE_PATH="$OUT/packs" "$SANDPROBE" list team --format json >"$OUT/list.json" 2>&1
expect_status "SANDPROBE_PATH pack listed" 0 $?
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert [e['id'] for e in d]==['team.answer','team.trusted_io'], d" "$OUT/list.json"
expect_status "list --format json" 0 $?
"$SANDPROBE" run team.trusted_io --pack-path "$OUT/packs" >/dev/null 2>&1
expect_status "untrusted pack has no io" 1 $?
"$SANDPROBE" run team.trusted_io --pack-path "$OUT/packs" --trust team >/dev/null 2>&1
expect_status "--trust gives io" 0 $?
echo 'return {' >"$OUT/broken/bad/pack.lua"
"$SANDPROBE" run --pack-path "$OUT/broken" >/dev/null 2>"$OUT/e3"
expect_status "broken pack.lua" 2 $?
grep -q "cannot read pack" "$OUT/e3" && pass "broken pack message" || fail "broken pack message"

"$SANDPROBE" --version | grep -q '^sandprobe [0-9]'
expect_status "--version" 0 $?
"$SANDPROBE" help run | grep -q -- '--jobs'
expect_status "help run" 0 $?


# Every report of the selftest run against its published shape: the JSON
# Schema in docs/ and the Surefire-shaped JUnit XSD the tests carry.
/usr/bin/python3 -c 'import json, sys, jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' \
    "$SANDPROBE_TESTS/../docs/report-schema.json" "$OUT/r.json" 2>"$OUT/schema.err"
expect_status "the JSON report validates against docs/report-schema.json" 0 $?
xmllint --noout --schema "$SANDPROBE_TESTS/fixtures/junit/junit.xsd" "$OUT/r.xml" 2>"$OUT/xsd.err"
expect_status "the JUnit report validates against the JUnit XSD" 0 $?

suite_time=$(xmllint --xpath 'string(/testsuites/testsuite[@name="selftest"]/@time)' "$OUT/r.xml")
run_time=$(xmllint --xpath 'string(/testsuites/@time)' "$OUT/r.xml")
case_sum=$(xmllint --xpath 'sum(/testsuites/testsuite[@name="selftest"]/testcase/@time)' "$OUT/r.xml")
check "under --jobs 3 a suite's time is wall time: within the run's, below the sum of its cases" \
    awk -v s="$suite_time" -v r="$run_time" -v c="$case_sum" 'BEGIN { exit !(s <= r && s < c) }'


# A table raised as an error shows its contents in the report.
mkdir -p "$OUT/packs/tablerr"
echo 'return { name = "tablerr", description = "raises a table", version = "1" }' >"$OUT/packs/tablerr/pack.lua"
echo 'return { id = "tablerr.raise", title = "raises", run = function(t) error({ code = 42 }) end }' >"$OUT/packs/tablerr/raise.lua"
"$SANDPROBE" run tablerr --pack-path "$OUT/packs" --quiet --format json >"$OUT/tablerr.json" 2>"$OUT/tablerr.err"
expect_status "a scenario raising a table errors" 1 $?
check "the error table's contents are the message" grep -qF '"error object {\"code\":42}"' "$OUT/tablerr.json"
check "--quiet: no progress on stderr" test ! -s "$OUT/tablerr.err"
"$SANDPROBE" run tablerr --pack-path "$OUT/packs" --format json >/dev/null 2>"$OUT/progress.err"
check "piped with a machine format: one progress line per scenario on stderr" \
    grep -q '^\[1/1\] ERROR tablerr.raise  raises' "$OUT/progress.err"


# Evidence bytes cross the worker channel and reach the JSON report exactly.
mkdir -p "$OUT/packs/bytes"
echo 'return { name = "bytes", description = "notes hostile bytes", version = "1" }' >"$OUT/packs/bytes/pack.lua"
cat >"$OUT/packs/bytes/note.lua" <<'LUA'
return { id = "bytes.note", title = "notes bytes\0\255", run = function(t)
  t:note("out", "visible\0HIDDEN\255\254\27[31m")
  t:note("list", { "a\0b", "\255" })
  t:check(true, "noted") end }
LUA
"$SANDPROBE" run bytes --pack-path "$OUT/packs" --jobs 2 --quiet --format json --output "$OUT/bytes.json" >/dev/null 2>&1
expect_status "a scenario noting hostile bytes passes" 0 $?
/usr/bin/python3 - "$OUT/bytes.json" <<'PY'
import base64, json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
r = doc["results"][0]
assert base64.b64decode(r["evidence"]["out_base64"]) == b"visible\x00HIDDEN\xff\xfe\x1b[31m", r
assert r["evidence"]["out_invalid_utf8"] is True
assert r["evidence"]["list"][0] == "a\x00b"
assert base64.b64decode(r["evidence"]["list"][1]["base64"]) == b"\xff"
assert base64.b64decode(r["title_base64"]) == b"notes bytes\x00\xff"
PY
expect_status "evidence bytes reach the JSON report exactly through the worker channel" 0 $?

finish
