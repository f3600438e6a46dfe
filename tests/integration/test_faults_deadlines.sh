# A scenario ends within a second of its timeout whatever it is doing:
# blocked in sandbox.run (a C wait on the daemon), or looping around a C
# string function; a pack.lua that loops does not hang pack discovery; and
# what the deadline stopped leaves no container behind.
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

mkdir -p "$WORK/packs/late" "$WORK/spinning/spin"
cat >"$WORK/packs/late/pack.lua" <<'LUA'
return { name = "late", description = "scenarios that overrun their timeout", version = "1" }
LUA
cat >"$WORK/packs/late/blocked.lua" <<'LUA'
return { id = "late.blocked", title = "blocked in sandbox.run past the timeout", tags = { "late" },
         requires = { "docker" }, timeout = 3,
         run = function(t)
           local r = sandbox.run { timeout = 20, validate = false, code = "while True:\n    pass\n" }
           t:check(false, "sandbox.run returned: " .. tostring(r and r.outcome))
         end }
LUA
cat >"$WORK/packs/late/gsub.lua" <<'LUA'
return { id = "late.gsub", title = "string.gsub over 1 MB in a loop", tags = { "late" }, timeout = 2,
         run = function(t)
           local s = string.rep("abcdefgh", 128 * 1024)
           while true do s:gsub("x", "y") end
         end }
LUA
"$SANDPROBE" run late --pack-path "$WORK/packs" --jobs 2 --format json >"$WORK/late.json" 2>"$WORK/late.err" &
pid=$!
wait "$pid"
python3 - "$WORK/late.json" >"$WORK/figures" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["id"], r["status"], "%.0f" % (r["duration_s"] * 1000), "timed out" in (r["message"] or ""))
PY
sed 's/^/  /' "$WORK/figures"
# check_late ID TIMEOUT_S: status error, "timed out", within a second of the timeout.
check_late() {
    line=$(grep "^$1 " "$WORK/figures")
    ms=$(echo "$line" | cut -d' ' -f3)
    check "$1: an error that says it timed out ($line)" [ "$(echo "$line" | cut -d' ' -f2,4)" = "error True" ]
    check "$1: ended within a second of its ${2} s timeout (${ms:-?} ms)" [ "${ms:-99999}" -le $(($2 * 1000 + 1000)) ]
}
check_late late.blocked 3
check_late late.gsub 2
left=$(docker ps -aq --filter "label=sandprobe.pid=$pid" | wc -l)
check "the container the deadline stopped is gone ($left left)" [ "$left" -eq 0 ]

cat >"$WORK/spinning/spin/pack.lua" <<'LUA'
while true do end
LUA
t0=$(date +%s%3N)
"$SANDPROBE" list --pack-path "$WORK/spinning" >/dev/null 2>"$WORK/spin.err"
status=$?
took=$(($(date +%s%3N) - t0))
echo "  a looping pack.lua stopped pack discovery after ${took} ms"
expect_status "a looping pack.lua is a configuration error" 2 "$status"
grep -q "timed out" "$WORK/spin.err" && pass "the error says the pack timed out" ||
    fail "the error says the pack timed out" "$(cat "$WORK/spin.err")"
check "pack discovery gave up within its 10 s load deadline plus a second (${took} ms)" [ "$took" -le 11000 ]

# A program that floods its output until the time limit: the result is in the
# caller's hands within 2 s of the limit (the daemon's log of the flood is
# not read to the end).
printf 'line = "x" * 1000\nwhile True:\n    print(line)\n' >"$WORK/flood_out.py"
printf 'import sys\nline = "x" * 1000\nwhile True:\n    print(line)\n    print(line, file=sys.stderr)\n' >"$WORK/flood_both.py"
for program in flood_out flood_both; do
    t0=$(date +%s%3N)
    "$SANDPROBE" exec "$WORK/$program.py" --no-validate --no-guard --timeout 4 --json >"$WORK/$program.json" 2>/dev/null
    status=$?
    took=$(($(date +%s%3N) - t0))
    echo "  $program: exec --timeout 4 returned after ${took} ms"
    expect_status "$program: killed at the limit (137)" 137 "$status"
    check "$program: result within 2 s of the 4 s limit (${took} ms)" [ "$took" -le 6000 ]
    kept=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["stdout"]))' "$WORK/$program.json")
    check "$program: the output up to the cap is kept (${kept} bytes of stdout)" [ "${kept:-0}" -eq 1048576 ]
done

finish
