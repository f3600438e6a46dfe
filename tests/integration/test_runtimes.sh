#!/bin/sh
# The runtime matrix on the real daemon with gVisor registered twice
# (scripts/register-runtimes.sh): the whole seed pack on runc, runsc and
# runsc-oci-seccomp in one run. runc: every scenario passes. runsc (which
# ignores a container's seccomp profile): the seccomp scenarios fail with
# evidence and a remediation naming --oci-seccomp, and nothing else fails.
# runsc-oci-seccomp: every scenario passes. Every report format carries the
# runtime; a runtime that cannot start containers is a column of errors while
# the others still run; doctor lists every runtime.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker
"$SANDPROBE_SOURCE/scripts/register-runtimes.sh" >/dev/null || fail "register-runtimes.sh"

"$SANDPROBE" run seed --runtime runc,runsc,runsc-oci-seccomp \
    --format json --output "$WORK/seed.json" --format junit --output "$WORK/seed.xml" \
    --format markdown --output "$WORK/seed.md" --format text --output "$WORK/seed.txt"
expect_status "seed x 3 runtimes: exit 1 (runsc fails the seccomp scenarios)" 1 $?

python3 - "$WORK/seed.json" <<'PY' > "$WORK/verdict" 2>&1
import json, sys
run = json.load(open(sys.argv[1]))
results = run["results"]
def column(rt): return [r for r in results if r["runtime"] == rt]
seccomp_dependent = {"seed.layer4.seccomp", "seed.sandbox.seccomp", "seed.layer.all",
                     "seed.sandbox.privilege", "seed.overhead.pool_identical"}
problems = []
if run["runtimes"] != ["runc", "runsc", "runsc-oci-seccomp"]:
    problems.append("runtimes: %r" % run["runtimes"])
ids = {r["id"] for r in column("runc")}
for rt in ("runc", "runsc", "runsc-oci-seccomp"):
    col = column(rt)
    if {r["id"] for r in col} != ids or len(col) != len(ids):
        problems.append("%s: not every scenario ran" % rt)
    if any(r["target"] != "hardened" for r in col):
        problems.append("%s: target is not 'hardened'" % rt)
for rt in ("runc", "runsc-oci-seccomp"):
    bad = ["%s=%s: %s" % (r["id"], r["status"], r["message"]) for r in column(rt) if r["status"] != "pass"]
    if bad:
        problems.append("%s is not green: %s" % (rt, "; ".join(bad)))
runsc = {r["id"]: r for r in column("runsc")}
failed = {i for i, r in runsc.items() if r["status"] != "pass"}
if not failed <= seccomp_dependent:
    problems.append("runsc fails more than the seccomp scenarios: %s" % sorted(failed - seccomp_dependent))
for i in ("seed.layer4.seccomp", "seed.sandbox.seccomp"):
    r = runsc[i]
    if r["status"] != "fail":
        problems.append("%s on runsc: %s, want fail" % (i, r["status"]))
    if "--oci-seccomp" not in (r["remediation"] or ""):
        problems.append("%s on runsc: remediation does not name --oci-seccomp" % i)
    if "runsc" not in str(r["evidence"].get("runtime")):
        problems.append("%s on runsc: no runtime evidence" % i)
if runsc["seed.layer4.seccomp"]["evidence"].get("container_fork") != "forked":
    problems.append("layer4 on runsc: evidence does not show the fork that got through")
if "fork returned" not in runsc["seed.sandbox.seccomp"]["evidence"].get("stdout", ""):
    problems.append("sandbox.seccomp on runsc: evidence does not show the fork")
print("\n".join(problems) if problems else "ok")
PY
if [ "$(cat "$WORK/verdict")" = "ok" ]; then pass "runc and runsc-oci-seccomp green; runsc fails only the seccomp scenarios, with evidence and --oci-seccomp"
else fail "matrix verdict" "$(cat "$WORK/verdict")"; fi

suites="$(grep -c '<testsuite ' "$WORK/seed.xml")"
[ "$suites" = 3 ] && pass "junit: one testsuite per runtime" || fail "junit: $suites testsuites, want 3"
check "junit: suites named by runtime" grep -q 'testsuite name="runtime runsc-oci-seccomp"' "$WORK/seed.xml"
check "markdown: scenario x runtime matrix" grep -q '^| `seed.layer4.seccomp` | PASS | \*\*FAIL\*\* | PASS |$' "$WORK/seed.md"
check "text: scenario x runtime matrix" grep -Eq '^seed\.layer4\.seccomp +PASS +FAIL +PASS' "$WORK/seed.txt"

# A sandbox that cannot start: every cell errors with the daemon's message
# and no scenario runs. (A runtime that fails while another works, crun next
# to runc, is tested on a daemon of its own in test_remote_tls.sh.)
printf 'return { image = "%s", python = { "/no/such/python" }, network = "none" }\n' "$IMAGE" >"$WORK/badpython.lua"
"$SANDPROBE" run seed.sandbox.exit_code --target "$WORK/badpython.lua" --runtime runc,runsc \
    --format json --output "$WORK/bad.json" >/dev/null 2>&1
expect_status "a column that cannot start: exit 1" 1 $?
python3 - "$WORK/bad.json" <<'PY' > "$WORK/bad.verdict" 2>&1
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
ok = len(rs) == 2 and all(r["status"] == "error" and "cannot start containers" in r["message"]
                          and "/no/such/python" in r["message"] for r in rs)
print("ok" if ok else json.dumps(rs)[:800])
PY
if [ "$(cat "$WORK/bad.verdict")" = "ok" ]; then pass "every cell of a runtime that cannot start errors with the daemon's message"
else fail "error column" "$(cat "$WORK/bad.verdict")"; fi

"$SANDPROBE" doctor >"$WORK/doctor.txt"
expect_status "doctor: exit 0 with runsc registered" 0 $?
check "doctor: lists runsc" grep -q '^✓ runtime runsc  .*starts containers \[--network=none\]' "$WORK/doctor.txt"
check "doctor: lists runsc-oci-seccomp" grep -q 'runtime runsc-oci-seccomp .*--oci-seccomp' "$WORK/doctor.txt"
check "doctor: default bridge" grep -q 'default bridge network' "$WORK/doctor.txt"

finish
