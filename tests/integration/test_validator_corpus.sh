#!/bin/sh
# `sandprobe validate` over the corpora: every benign strategy accepted
# (exit 0), every bypass file rejected (exit 1), usage errors exit 2, and the
# JSON and SARIF outputs are well-formed. Needs no Docker daemon.
set -u
: "${SANDPROBE:?}" "${SANDPROBE_TESTS:?}"
BENIGN="$SANDPROBE_TESTS/validator/benign"
BYPASS="$SANDPROBE_TESTS/validator/bypass"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

expect_status() { # expected-status description command...
    want=$1; what=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else
        bad "$what: exit $got, want $want"; sed 's/^/    /' "$TMP/out" "$TMP/err" | head -20
    fi
}

# Every benign file, all at once and one by one.
expect_status 0 "benign corpus" "$SANDPROBE" validate "$BENIGN"/*.py
for f in "$BENIGN"/*.py; do
    expect_status 0 "benign $(basename "$f")" "$SANDPROBE" validate "$f"
done

# Every bypass file must be rejected on its own.
count=0
for f in "$BYPASS"/*.py; do
    count=$((count + 1))
    expect_status 1 "bypass $(basename "$f") accepted" "$SANDPROBE" validate "$f"
done
if [ "$count" -ge 40 ]; then ok; else bad "only $count bypass techniques"; fi

# One rejected file among accepted ones makes the whole run fail.
expect_status 1 "mixed run" "$SANDPROBE" validate "$BENIGN/01-sma-crossover.py" "$BYPASS/exec-01-eval.py"

# Usage errors.
expect_status 2 "missing file" "$SANDPROBE" validate "$TMP/nope.py"
expect_status 2 "no file" "$SANDPROBE" validate
printf 'return { modules = 1 }\n' >"$TMP/bad_policy.lua"
expect_status 2 "bad policy" "$SANDPROBE" validate --policy "$TMP/bad_policy.lua" "$BENIGN/01-sma-crossover.py"
# Policy files are data: no engine powers, a time limit, one line each.
printf 'while true do end\n' >"$TMP/loop_policy.lua"
expect_status 2 "looping policy" "$SANDPROBE" validate --policy "$TMP/loop_policy.lua" "$BENIGN/01-sma-crossover.py"
if [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q "timed out" "$TMP/err"; then ok; else bad "looping policy: not one line"; cat "$TMP/err"; fi
printf 'os.execute("touch %s/ran")\nreturn default_policy()\n' "$TMP" >"$TMP/exec_policy.lua"
expect_status 2 "policy calling os.execute" "$SANDPROBE" validate --policy "$TMP/exec_policy.lua" "$BENIGN/01-sma-crossover.py"
if [ ! -e "$TMP/ran" ]; then ok; else bad "the policy file ran os.execute"; fi
printf 'error("nope")\n' >"$TMP/error_policy.lua"
expect_status 2 "policy raising an error" "$SANDPROBE" validate --policy "$TMP/error_policy.lua" "$BENIGN/01-sma-crossover.py"
if [ "$(wc -l <"$TMP/err")" -eq 1 ]; then ok; else bad "erroring policy: not one line"; cat "$TMP/err"; fi
expect_status 2 "bad format" "$SANDPROBE" validate --format xml "$BENIGN/01-sma-crossover.py"

# A custom policy is honoured: forbid the math module.
cat >"$TMP/no_math.lua" <<'LUA'
local p = default_policy()
p.modules = { statistics = p.modules.statistics, json = p.modules.json }
return p
LUA
expect_status 1 "custom policy" "$SANDPROBE" validate --policy "$TMP/no_math.lua" "$BENIGN/01-sma-crossover.py"
expect_status 0 "custom policy accepts" "$SANDPROBE" validate --policy "$TMP/no_math.lua" "$BENIGN/06-json-statistics.py"

# Text output names file, line, column and rule.
"$SANDPROBE" validate "$BYPASS/exec-01-eval.py" >"$TMP/text"
if grep -q "exec-01-eval.py:3:1: policy.builtin:" "$TMP/text"; then ok; else bad "text output"; cat "$TMP/text"; fi

# JSON and SARIF are checked with python3's json module when it is present.
"$SANDPROBE" validate --format json "$BENIGN/01-sma-crossover.py" "$BYPASS/exec-01-eval.py" >"$TMP/out.json"
"$SANDPROBE" validate --format sarif "$BYPASS"/*.py >"$TMP/out.sarif"
if command -v python3 >/dev/null 2>&1; then
    if python3 - "$TMP/out.json" "$TMP/out.sarif" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["accepted"] == 1 and j["rejected"] == 1, j
assert j["files"][0]["findings"] == [] and j["files"][1]["findings"][0]["rule"] == "policy.builtin"
s = json.load(open(sys.argv[2]))
assert s["version"] == "2.1.0" and s["$schema"].endswith("sarif-2.1.0.json")
run = s["runs"][0]
driver = run["tool"]["driver"]
rules = [r["id"] for r in driver["rules"]]
assert driver["name"] and driver["version"]
assert all(r["shortDescription"]["text"] for r in driver["rules"])
assert len(run["results"]) >= 40
for r in run["results"]:
    assert r["level"] == "error" and r["message"]["text"]
    assert rules[r["ruleIndex"]] == r["ruleId"]
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith(".py")
    assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
PY
    then ok; else bad "json/sarif structure"; fi
else
    echo "python3 not found: JSON/SARIF structure not checked"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
