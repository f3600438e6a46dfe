#!/bin/sh
# The escape pack on the real daemon, and the gaps it closed in the default
# sandbox that a scenario cannot show on its own:
#  - `sandprobe run escape --jobs 2` passes whole (at least 50 scenarios,
#    each with references, a remediation and evidence); its time is printed;
#  - a SIGKILLed client's container is gone within 5 s of its deadline (the
#    deadline keeper), measured from outside with the docker CLI;
#  - with the log driver "none", output still arrives through attach, also
#    at a time-out and from a warm pool;
#  - the image is of the version build-image.sh builds, without setuid bits.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
# seconds $1 - $2 (date +%s.%N values)
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
require_docker

# ---- the pack -------------------------------------------------------------
t0=$(date +%s.%N)
"$SANDPROBE" run escape --jobs 2 --format json --output "$WORK/escape.json" --format text >"$WORK/escape.txt" 2>&1
status=$?
t1=$(date +%s.%N)
echo "escape pack: $(minus "$t1" "$t0") s for 'sandprobe run escape --jobs 2'"
expect_status "sandprobe run escape --jobs 2 exits 0" 0 "$status"
[ "$status" -eq 0 ] || grep -v '^PASS' "$WORK/escape.txt" | head -40
python3 - "$WORK/escape.json" >"$WORK/pack-check.txt" 2>&1 <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
problems = []
if len(results) < 50:
    problems.append("only %d scenarios" % len(results))
for r in results:
    if r["status"] != "pass":
        problems.append("%s: %s %s" % (r["id"], r["status"], r.get("message")))
    if not r.get("remediation"):
        problems.append("%s: no remediation" % r["id"])
    if not (r.get("evidence") or {}).get("references"):
        problems.append("%s: no references in its evidence" % r["id"])
    if len(r.get("evidence") or {}) < 2:
        problems.append("%s: no evidence beyond its references" % r["id"])
print("\n".join(problems) or "ok %d scenarios" % len(results))
sys.exit(1 if problems else 0)
PY
if [ $? -eq 0 ]; then pass "every escape scenario passed with references, remediation and evidence ($(cat "$WORK/pack-check.txt"))"
else fail "escape scenarios" "$(head -20 "$WORK/pack-check.txt")"; fi

# ---- the deadline without the client ---------------------------------------
printf 'while True:\n    pass\n' >"$WORK/spin.py"
start=$(date +%s.%N)
"$SANDPROBE" exec --no-validate --timeout 3 "$WORK/spin.py" >/dev/null 2>&1 &
client=$!
i=0
while [ -z "$(docker ps -q --filter "label=sandprobe.pid=$client")" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
running=$(docker ps -q --filter "label=sandprobe.pid=$client" | wc -l)
sleep 1
keeper=$(pgrep -P "$client" -f 'sandprobe reap' | head -n 1)
kill -KILL "$client"
wait "$client" 2>/dev/null
i=0
while [ -n "$(docker ps -aq --filter "label=sandprobe.pid=$client")" ] && [ "$i" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
gone=$(date +%s.%N)
left=$(docker ps -aq --filter "label=sandprobe.pid=$client" | wc -l)
after=$(minus "$gone" "$(minus "$start" -3)")
echo "deadline keeper: the SIGKILLed client's container was gone $after s after its deadline"
check "the client's container was running when the client was SIGKILLed" [ "$running" -eq 1 ]
check "the container is gone without its client" [ "$left" -eq 0 ]
check "it was gone within 5 s of its deadline ($after s)" awk -v a="$after" 'BEGIN { exit !(a <= 5) }'
check "the client had started its deadline keeper" [ -n "$keeper" ]
check "the keeper exits once its work is done" wait_for_exit "${keeper:-0}" 10

# The keeper watches the daemon the client was told to use (-H), not the default.
"$SANDPROBE" exec -H unix:///var/run/docker.sock --no-validate --timeout 3 "$WORK/spin.py" >/dev/null 2>&1 &
client=$!
keeper=""
i=0
while [ -z "$keeper" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); keeper=$(pgrep -P "$client" -f 'sandprobe reap' | head -n 1); done
host=$(tr '\0' '\n' <"/proc/${keeper:-0}/environ" 2>/dev/null | sed -n 's/^DOCKER_HOST=//p')
wait "$client"
check "the keeper of a client given -H uses that daemon ($host)" [ "$host" = "unix:///var/run/docker.sock" ]

# ---- output through attach with the log driver none ------------------------
printf 'import sys\nprint("before the loop", flush=True)\nsys.stderr.write("on stderr\\n")\nwhile True:\n    pass\n' >"$WORK/loop.py"
out=$("$SANDPROBE" exec --no-validate --no-guard --timeout 2 "$WORK/loop.py" 2>"$WORK/loop.err")
expect_status "a timed-out program exits 137" 137 $?
check "its stdout arrived through attach" [ "$out" = "before the loop" ]
check "its stderr arrived through attach" grep -q "on stderr" "$WORK/loop.err"
printf 'print("from the pool")\n' >"$WORK/pool.py"
out=$("$SANDPROBE" exec --no-validate --pool 2 "$WORK/pool.py" 2>&1)
check "a pooled run's output arrives ($out)" [ "$out" = "from the pool" ]

# ---- the image -------------------------------------------------------------
version=$(docker image inspect "$IMAGE" --format '{{index .Config.Labels "sandprobe.image.version"}}')
want=$(sed -n 's/^IMAGE_VERSION=//p' "$SANDPROBE_SOURCE/scripts/build-image.sh")
check "the image is build-image.sh's version ($version, want $want)" [ "$version" = "$want" ]
suid=$(docker run --rm --network none --entrypoint find "$IMAGE" / -xdev -perm /6000 -type f 2>/dev/null | wc -l)
check "the image has no setuid/setgid file ($suid)" [ "$suid" -eq 0 ]

finish
