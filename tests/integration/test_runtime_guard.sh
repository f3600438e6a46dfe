#!/bin/sh
# The run-time guard (Layer 1 inside the container) against the real daemon:
#  * every probe in tests/guard/, and every program of the validator's bypass
#    corpus with a `# guard: EVENT` line, runs with the static validator off
#    and is stopped by the guard alone (outcome "guard", the event it names
#    on stderr, output before the refusal kept);
#  * every benign strategy gives identical output, exit status and outcome
#    with the guard on and off (the differential test), and is accepted;
#  * a program's exit status equal to the guard's is not mistaken for a refusal.
set -u
: "${SANDPROBE:?}" "${SANDPROBE_TESTS:?}"
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

run_json() { # file out-json [exec options...]
    file=$1; out=$2; shift 2
    "$SANDPROBE" exec "$file" --json "$@" >"$out" 2>"$out.err"
}

# ---- probes: the guard alone stops each --------------------------------------------
count=0
for f in "$SANDPROBE_TESTS"/guard/*.py $(grep -l '^# guard: ' "$SANDPROBE_TESTS"/validator/bypass/*.py); do
    count=$((count + 1))
    name=$(basename "$f")
    event=$(sed -n 's/^# guard: //p' "$f")
    run_json "$f" "$TMP/probe.json" --no-validate
    if python3 - "$TMP/probe.json" "$event" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
event = sys.argv[2]
if event == "none":
    # Nothing refused while the program ran; what it left behind never runs.
    assert r["outcome"] == "ok", r
    assert "PWN" not in r["stdout"] + r["stderr"], r
else:
    assert r["outcome"] == "guard", (r["outcome"], r["stdout"][-300:], r["stderr"][-300:])
    assert r["exit_code"] == 97, r["exit_code"]
    line = [l for l in r["stderr"].splitlines() if l.startswith("sandprobe guard: refused ")]
    assert line and line[-1].split()[3].rstrip(":") == event, (event, r["stderr"][-300:])
    assert "PWN" not in r["stdout"] + r["stderr"].replace(line[-1], ""), r
PY
    then ok; else bad "guard probe $name"; fi
done
if [ "$count" -ge 20 ]; then ok; else bad "only $count guard probes"; fi

# Output before the refusal is kept.
printf 'print("before")\nopen("/etc/passwd")\nprint("after")\n' >"$TMP/partial.py"
run_json "$TMP/partial.py" "$TMP/partial.json" --no-validate
if python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["outcome"] == "guard" and r["stdout"] == "before\n", r
assert r["stderr"].endswith("sandprobe guard: refused open: /etc/passwd\n"), r["stderr"]
' "$TMP/partial.json"; then ok; else bad "output before the refusal"; fi

# The text form says so; the exit status is the guard's.
"$SANDPROBE" exec "$TMP/partial.py" --no-validate >"$TMP/text.out" 2>"$TMP/text.err"
status=$?
if [ "$status" -eq 97 ] && grep -q "stopped by the run-time guard" "$TMP/text.err"; then ok; else
    bad "exec text: status $status"; cat "$TMP/text.err"; fi

# --no-guard: the same program is not stopped by Layer 1 (the container layers decide).
run_json "$TMP/partial.py" "$TMP/noguard.json" --no-validate --no-guard
if python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["outcome"] != "guard" and "before" in r["stdout"], r
' "$TMP/noguard.json"; then ok; else bad "--no-guard still guarded"; fi

# The loader's globals hold no module while the program runs (every frame
# leads there by f_back): asked with the guard and the validator off.
cat >"$TMP/loader.py" <<'PY'
import sys, types
f = sys._getframe()
while f.f_back is not None:
    f = f.f_back
program = sys.modules['__main__']
held = sorted(k for k, v in f.f_globals.items()
              if type(v) is types.ModuleType and k != '__builtins__' and v is not program)
print('modules:', held)
PY
run_json "$TMP/loader.py" "$TMP/loader.json" --no-validate --no-guard
if python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["outcome"] == "ok" and r["stdout"] == "modules: []\n", r
' "$TMP/loader.json"; then ok; else bad "the loader globals hold modules"; cat "$TMP/loader.json"; fi

# A program that exits with the guard's status by itself is no refusal.
printf 'raise SystemExit(97)\n' >"$TMP/exit97.py"
run_json "$TMP/exit97.py" "$TMP/exit97.json" --no-validate
if python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["exit_code"] == 97 and r["outcome"] == "error", r
' "$TMP/exit97.json"; then ok; else bad "exit 97 taken for the guard"; fi

# ---- the differential test: benign strategies, guard on and off -----------------------
count=0
for f in "$SANDPROBE_TESTS"/validator/benign/*.py; do
    count=$((count + 1))
    name=$(basename "$f")
    run_json "$f" "$TMP/on.json"
    run_json "$f" "$TMP/off.json" --no-guard
    if python3 - "$TMP/on.json" "$TMP/off.json" <<'PY'
import json, sys
on, off = (json.load(open(p)) for p in sys.argv[1:3])
assert on["rejected"] is False, on["findings"]
for key in ("stdout", "stderr", "exit_code", "outcome"):
    assert on[key] == off[key], (key, on[key][-400:] if isinstance(on[key], str) else on[key],
                                 off[key][-400:] if isinstance(off[key], str) else off[key])
assert on["outcome"] == "ok", (on["outcome"], on["stderr"][-400:])
PY
    then ok; else bad "differential $name"; fi
done
if [ "$count" -ge 60 ]; then ok; else bad "only $count benign strategies"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
