#!/bin/sh
# Every usage and configuration error: one line on stderr, exit status 2,
# before anything runs. Global options before and after the command. Needs
# no Docker (an unreachable daemon is one of the cases).
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"

OUT="$WORK/out"
mkdir -p "$OUT"
NO_DAEMON="unix://$WORK/no-daemon.sock"

# usage NAME WANT_IN_MESSAGE ARGS...: exit 2, exactly one line on stderr
# containing the text, nothing on stdout.
usage() {
    name="$1"; want="$2"; shift 2
    "$SANDPROBE" "$@" >"$OUT/stdout" 2>"$OUT/stderr" </dev/null
    got=$?
    lines=$(wc -l <"$OUT/stderr")
    if [ "$got" -ne 2 ]; then
        fail "$name: status $got, want 2" "$(cat "$OUT/stderr")"
    elif [ "$lines" -ne 1 ]; then
        fail "$name: $lines lines on stderr, want 1" "$(cat "$OUT/stderr")"
    elif ! grep -qF -- "$want" "$OUT/stderr"; then
        fail "$name: message lacks '$want'" "$(cat "$OUT/stderr")"
    elif [ -s "$OUT/stdout" ]; then
        fail "$name: wrote to stdout" "$(cat "$OUT/stdout")"
    else
        pass "$name"
    fi
}

# Global options, before and after the command.
"$SANDPROBE" -H "$NO_DAEMON" list selftest >"$OUT/l1" 2>&1
expect_status "-H before the command" 0 $?
"$SANDPROBE" --debug list selftest >"$OUT/l2" 2>&1
expect_status "--debug before the command" 0 $?
"$SANDPROBE" list selftest --debug -H "$NO_DAEMON" >"$OUT/l3" 2>&1
expect_status "global options after the command" 0 $?
check "list output the same with global options anywhere" cmp -s "$OUT/l1" "$OUT/l3"
"$SANDPROBE" -dH "$NO_DAEMON" list selftest >"$OUT/l4" 2>&1
expect_status "bundled short global options" 0 $?
check "-V prints the version" sh -c '"$SANDPROBE" -V | grep -qx "sandprobe [0-9.]*"'
check "--version after a command prints the version" sh -c '"$SANDPROBE" list --version | grep -qx "sandprobe [0-9.]*"'
"$SANDPROBE" -H "$NO_DAEMON" doctor >"$OUT/doctor" 2>&1
grep -qF "$NO_DAEMON" "$OUT/doctor" && pass "-H before doctor reaches doctor" || fail "-H before doctor" "$(cat "$OUT/doctor")"

usage "unknown global option before the command" "unknown global option --bogus" --bogus list
usage "global option without its value" "--host needs a value" -H
usage "unknown command" "unknown command 'nosuch'" nosuch
usage "unknown option" "unknown option --nosuch" list --nosuch
usage "unknown bundled short option" "unknown option -Z" run -qZ selftest

# Option values.
echo 'print(1)' >"$OUT/p.py"
usage "exec --memory abc" "--memory needs a positive size" exec "$OUT/p.py" --memory abc
usage "exec --memory -5" "--memory needs a positive size" exec "$OUT/p.py" --memory -5
usage "exec -m 0" "--memory needs a positive size" exec "$OUT/p.py" -m 0
usage "exec --memory-swap x" "--memory-swap x: needs a positive size" exec "$OUT/p.py" --memory-swap x
usage "exec --tmpfs :::" "--tmpfs :::: the mount point must be an absolute path" exec "$OUT/p.py" --tmpfs :::
usage "exec --tmpfs bad option" "is not a mount option" exec "$OUT/p.py" --tmpfs '/tmp:size=64m,<x>'
usage "exec --pids-limit 0" "--pids-limit must be 1-65536" exec "$OUT/p.py" --pids-limit 0
usage "exec --cpus 1e999" "--cpus needs a number" exec "$OUT/p.py" --cpus 1e999
usage "exec --timeout 0" "--timeout must be" exec "$OUT/p.py" --timeout 0
usage "exec --security-opt seccomp=missing file" "no such profile file" exec "$OUT/p.py" --security-opt "seccomp=$WORK/none.json"
usage "exec of a missing file" "No such file" exec "$WORK/missing.py"
usage "run --jobs 100000" "--jobs must be 1-64, not 100000" run selftest --jobs 100000
usage "run --jobs 0" "--jobs must be 1-64" run selftest -j0
usage "run --jobs x" "--jobs needs an integer" run selftest --jobs x
check "help shows the --jobs range" sh -c '"$SANDPROBE" help run | grep -q -- "--jobs N .*(1-64)"'
usage "run --set without =" "--set needs key=value" run selftest --set novalue
usage "run --pack-path missing" "$WORK/nopacks" run selftest --pack-path "$WORK/nopacks"

# Output paths are checked before the first scenario: a trusted scenario
# that leaves a file shows whether anything ran.
mkdir -p "$WORK/packs/probe"
cat >"$WORK/packs/probe/pack.lua" <<'LUA'
return { name = "probe", description = "leaves a file when it runs", version = "1" }
LUA
cat >"$WORK/packs/probe/ran.lua" <<LUA
return { id = "probe.ran", title = "ran", run = function(t)
  local f = io.open("$WORK/ran", "w"); f:write("ran"); f:close(); t:check(true, "ran") end }
LUA
usage "run --output into a missing folder" "cannot write there" \
    run probe --pack-path "$WORK/packs" --trust probe --format json --output "$WORK/nodir/r.json"
usage "run --metrics-file into a missing folder" "--metrics-file $WORK/nodir/m.prom: cannot write there" \
    run probe --pack-path "$WORK/packs" --trust probe --metrics-file "$WORK/nodir/m.prom"
usage "exec --metrics-file into a missing folder" "cannot write there" \
    exec "$OUT/p.py" --metrics-file "$WORK/nodir/m.prom" -H "$NO_DAEMON"
if [ -e "$WORK/ran" ]; then fail "no scenario ran before the output paths were checked"; else pass "no scenario ran before the output paths were checked"; fi
"$SANDPROBE" run probe --pack-path "$WORK/packs" --trust probe -q >/dev/null 2>&1
if [ -e "$WORK/ran" ]; then pass "the probe scenario runs when the paths are good"; else fail "the probe scenario never ran: the check above proves nothing"; fi

# Selections: the user's own text, and a hint to quote.
usage "list not" "bad selection 'not': unexpected end; 'not' joins selections: quote" list not
usage "unquoted list seed and layer4" "bad selection 'and'" list seed and layer4
usage "malformed quoted expression" "bad selection 'seed and (x': missing ')'" list "seed and (x"
"$SANDPROBE" list "seed and layer4" >"$OUT/sel" 2>&1
expect_status "a quoted expression works" 0 $?
usage "nothing matches" "no scenario matches 'nosuch.*'" run 'nosuch.*'

# An unreachable daemon stops a run that needs it once, before any scenario.
"$SANDPROBE" run seed -H "$NO_DAEMON" --format json >"$OUT/stdout" 2>"$OUT/stderr"
got=$?
expect_status "unreachable daemon: run stops with 2" 2 "$got"
check "unreachable daemon: one line" test "$(wc -l <"$OUT/stderr")" -eq 1
check "unreachable daemon: says so" grep -q "the Docker daemon is needed and does not answer" "$OUT/stderr"
check "unreachable daemon: no report" test ! -s "$OUT/stdout"

finish
