# bench against a daemon that is gone or silent stops with exit 2 instead of
# timing failures, and SIGTERM while its docker CLI baseline runs leaves no
# child process behind.
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

python3 "$SANDPROBE_TESTS/integration/fake_docker.py" "$WORK/silent.sock" silent &
FAKE_PID=$!
i=0; while [ ! -S "$WORK/silent.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
for host in "$WORK/nobody.sock" "$WORK/silent.sock"; do
    "$SANDPROBE" bench --runs 2 --host "unix://$host" --format json >"$WORK/b.json" 2>"$WORK/b.err"
    expect_status "bench with no daemon at $(basename "$host") stops with 2" 2 $?
    check "and reports no target ($(wc -c <"$WORK/b.json") bytes on stdout)" [ ! -s "$WORK/b.json" ]
done
kill "$FAKE_PID"

# Every descendant of pid $1, from ps.
descendants() {
    for child in $(ps -o pid= --ppid "$1"); do
        echo "$child"
        descendants "$child"
    done
}

"$SANDPROBE" bench --runs 50 --format json >/dev/null 2>&1 &
bench_pid=$!
seen=""
i=0
while [ $i -lt 100 ]; do # until the docker CLI baseline is under way
    seen=$(descendants "$bench_pid")
    if [ -n "$seen" ] && ps -o args= -p $(echo $seen) 2>/dev/null | grep -q 'docker.* run --rm'; then break; fi
    i=$((i + 1)); sleep 0.1
done
check "bench started its docker CLI baseline" [ -n "$seen" ]
kill -TERM "$bench_pid"
wait "$bench_pid"
sleep 0.5
alive=0
for pid in $seen; do
    [ -d "/proc/$pid" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ] && alive=$((alive + 1))
done
echo "  $(echo $seen | wc -w) descendants before SIGTERM, $alive alive after"
check "no child of bench survives SIGTERM ($alive alive)" [ "$alive" -eq 0 ]
finish
