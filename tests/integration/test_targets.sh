#!/bin/sh
# Sandbox targets on the real daemon: a target decides what the packs prove.
# A `docker run` line with Docker's defaults fails the seccomp scenario the
# built-in target passes; --target-like copies a stopped container's sandbox
# (its runtime included); exec runs in a target; bad targets stop with one
# line and exit 2 before any container exists.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

json_field() { # FILE EXPR: prints the Python expression over the report `r`
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# The built-in target passes, Docker's defaults (no hardened profile) fail.
"$SANDPROBE" run seed.sandbox.seccomp --format json --output "$WORK/builtin.json" >/dev/null
expect_status "built-in target: seed.sandbox.seccomp passes" 0 $?
[ "$(json_field "$WORK/builtin.json" 'r["results"][0]["target"]')" = hardened ] &&
    pass "results name the target 'hardened'" || fail "target name"

"$SANDPROBE" run seed.sandbox.seccomp --target "docker run --network none -u 1000:100 $IMAGE" \
    --format json --output "$WORK/plain.json" >/dev/null
expect_status "docker run defaults: seed.sandbox.seccomp fails" 1 $?
check "docker run defaults: the fork that got through is the evidence" \
    grep -q 'fork returned' "$WORK/plain.json"

# --target-like a stopped container: its runtime and seccomp profile come along.
NAME="sandprobe-target-like-$$"
docker create --name "$NAME" --label sandprobe.test=target-like --runtime runsc-oci-seccomp --network none \
    --read-only --tmpfs /tmp:rw,noexec,nosuid,size=16m -m 256m --pids-limit 32 --cap-drop ALL \
    --security-opt no-new-privileges -u 1000:100 "$IMAGE" python3 -c pass >/dev/null
trap 'docker rm -f "$NAME" >/dev/null 2>&1' EXIT INT TERM
"$SANDPROBE" run "seed.sandbox.filesystem or seed.sandbox.network" --target-like "$NAME" \
    --format json --output "$WORK/like.json" >"$WORK/like.txt" 2>&1
like_status=$?
[ "$like_status" = 0 ] && pass "--target-like a stopped container: its scenarios pass" ||
    fail "--target-like a stopped container (status $like_status)" "$(cat "$WORK/like.txt")"
[ "$(json_field "$WORK/like.json" 'sorted({x["runtime"] for x in r["results"]})')" = "['runsc-oci-seccomp']" ] &&
    pass "--target-like: results carry the container's runtime" || fail "--target-like runtime" "$(cat "$WORK/like.json")"
[ "$(json_field "$WORK/like.json" 'r["target"]')" = "$NAME" ] && pass "--target-like: target named after the container" ||
    fail "--target-like target name"

# exec in a target given as a file holding a docker run line.
printf '# our service\ndocker run --runtime runsc-oci-seccomp --network none --read-only \\\n  -u 1000:100 %s python3\n' "$IMAGE" >"$WORK/ours.target"
printf 'import os\nprint(open("/proc/version").read().split()[0], os.getuid())\n' >"$WORK/p.py"
out="$("$SANDPROBE" exec --no-validate --no-guard --target "$WORK/ours.target" "$WORK/p.py" 2>"$WORK/exec.err")"
[ "$out" = "Linux 1000" ] && pass "exec --target FILE (a docker run line) runs the program" ||
    fail "exec --target" "$out $(cat "$WORK/exec.err")"

# Bad targets: exit 2, one line naming the file, the key and the problem,
# and no container: the daemon is not even needed to say so.
bad() { # NAME CONTENT PATTERN
    printf '%s\n' "$2" >"$WORK/bad.lua"
    "$SANDPROBE" run seed --target "$WORK/bad.lua" --host unix:///nonexistent/docker.sock >"$WORK/bad.out" 2>"$WORK/bad.err"
    status=$?
    if [ "$status" = 2 ] && [ "$(head -n1 "$WORK/bad.err" | grep -c "$WORK/bad.lua: $3")" = 1 ]; then
        pass "bad target, $1: $(head -n1 "$WORK/bad.err" | cut -c1-140)"
    else
        fail "bad target, $1 (status $status)" "$(cat "$WORK/bad.err")"
    fi
}
bad "unknown key" 'return { image = "x", imgae = "y" }' "imgae: unknown key"
bad "wrong type" 'return { image = "x", memory = true }' "memory: must be bytes"
bad "missing image" 'return { network = "none" }' "image: missing"
bad "bad profile" 'return { image = "x", seccomp = "/nonexistent/profile.json" }' "seccomp: profile"
bad "endless file" 'while true do end' "did not build a table"

# An unknown runtime needs the daemon's list: still exit 2, still no container.
before="$(docker ps -aq --filter label=sandprobe.managed=true | wc -l)"
"$SANDPROBE" run seed --runtime runc,nosuchruntime >/dev/null 2>"$WORK/rt.err"
expect_status "unknown runtime: exit 2" 2 $?
check "unknown runtime: one line naming it and what the daemon offers" \
    grep -q "^sandprobe run: --runtime: 'nosuchruntime' is not offered by the daemon (it offers: .*runc" "$WORK/rt.err"
printf 'return { image = "%s", runtime = "nosuchruntime" }\n' "$IMAGE" >"$WORK/rt.lua"
"$SANDPROBE" exec --target "$WORK/rt.lua" "$WORK/p.py" >/dev/null 2>"$WORK/rt2.err"
expect_status "unknown runtime in a target file: exit 2" 2 $?
check "unknown runtime in a target file: names file and key" grep -q "$WORK/rt.lua: runtime: 'nosuchruntime'" "$WORK/rt2.err"

docker rm -f "$NAME" >/dev/null 2>&1
trap - EXIT INT TERM
finish
