# SIGINT and SIGTERM at many moments from its exec, including while creates and
# pool launches are in flight: once sandprobe has exited, no container made
# by that process is left (counted by its sandprobe.pid label).
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

printf 'print("up", flush=True)\nwhile True:\n    pass\n' >"$WORK/slow.py"

# A shell without job control (no tty: monitor mode does not help) starts
# background commands with SIGINT ignored, and a signal that arrives while it
# is ignored (before sandprobe's main() restores it) is dropped by the
# kernel: no program can see it. A terminal's Ctrl-C finds SIGINT at its
# default, so the commands here are started that way, keeping the pid $!
# names (exec, twice: the background subshell becomes python, which becomes
# the command).
default_signals() {
    exec python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

# Waits up to $2 seconds for process $1 to end (a zombie has ended: it is
# only waiting for this shell's `wait`).
ended_within() {
    i=0
    while [ -d "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; do
        i=$((i + 1)); [ "$i" -gt $(($2 * 10)) ] && return 1
        sleep 0.1
    done
}

# Waits until process $1 is sandprobe itself: a signal to the shell's forked
# child before it has exec'd is the shell's to handle, not sandprobe's, so
# offsets count from the exec.
BINARY="$(readlink -f "$SANDPROBE")"
exec_done() {
    i=0
    while [ "$(readlink "/proc/$1/exe" 2>/dev/null)" != "$BINARY" ] && [ "$i" -lt 2000 ]; do i=$((i + 1)); done
}

# Containers (any state) that the process with pid $1 created.
containers_of() {
    docker ps -aq --filter "label=sandprobe.pid=$1" | wc -l
}

# signal_at MODE SIG DELAY: starts `exec` (MODE: cold or pool), sends SIG
# after DELAY seconds, waits for the exit; prints the containers left.
signal_at() {
    if [ "$1" = pool ]; then set -- "$2" "$3" --pool 3; else set -- "$2" "$3"; fi
    sig="$1"; delay="$2"; shift 2
    default_signals "$SANDPROBE" exec "$WORK/slow.py" --timeout 60 "$@" >/dev/null 2>"$WORK/exec.err" &
    pid=$!
    exec_done "$pid"
    sleep "$delay"
    kill -s "$sig" "$pid" 2>/dev/null
    if ! ended_within "$pid" 30; then
        echo "SIG$sig at ${delay}s: still running after 30 s" >&2
        # What it was doing, for whoever reads the failure.
        grep -E '^Sig(Ign|Blk|Pnd)' "/proc/$pid/status" >&2
        for task in /proc/"$pid"/task/*; do echo "  thread $(basename "$task"): $(cat "$task/wchan")" >&2; done
        sed 's/^/  stderr: /' "$WORK/exec.err" >&2
        kill -KILL "$pid" 2>/dev/null
        echo "did-not-exit"
        return
    fi
    wait "$pid" 2>/dev/null
    left=$(containers_of "$pid")
    if [ "$left" -gt 0 ]; then
        docker rm -f $(docker ps -aq --filter "label=sandprobe.pid=$pid") >/dev/null 2>&1
    fi
    echo "$left"
}

for mode in cold pool; do
    tries=0; dirty=0; stuck=0
    for delay in 0.005 0.01 0.02 0.03 0.04 0.05 0.06 0.08 0.1 0.12 0.14 0.16 0.2 0.25 0.3 0.4 0.6; do
        for sig in INT TERM; do
            tries=$((tries + 1))
            got=$(signal_at "$mode" "$sig" "$delay")
            if [ "$got" = did-not-exit ]; then
                stuck=$((stuck + 1))
            elif [ "$got" -gt 0 ]; then
                dirty=$((dirty + 1))
                echo "  $mode SIG$sig at ${delay}s left $got container(s)"
            fi
        done
    done
    echo "  $mode: $tries tries, $dirty left containers, $stuck did not exit within 30 s"
    check "$mode exec: no container left over $tries signals at offsets 5-600 ms ($dirty left some)" [ "$dirty" -eq 0 ]
    check "$mode exec: every signalled run exited within 30 s ($stuck did not)" [ "$stuck" -eq 0 ]
done

# run: a signal while scenarios are creating and running containers in two
# worker threads.
tries=0; dirty=0
for delay in 1 2 3 4 6 8; do
    for sig in INT TERM; do
        tries=$((tries + 1))
        default_signals "$SANDPROBE" run seed.sandbox --jobs 2 >/dev/null 2>&1 &
        pid=$!
        exec_done "$pid"
        sleep "$delay"
        kill -s "$sig" "$pid" 2>/dev/null
        if ! ended_within "$pid" 30; then kill -KILL "$pid" 2>/dev/null; fi
        wait "$pid" 2>/dev/null
        left=$(containers_of "$pid")
        if [ "$left" -gt 0 ]; then
            dirty=$((dirty + 1))
            echo "  run SIG$sig at ${delay}s left $left container(s)"
            docker rm -f $(docker ps -aq --filter "label=sandprobe.pid=$pid") >/dev/null 2>&1
        fi
    done
done
echo "  run: $tries tries, $dirty left containers"
check "run --jobs 2: no container left over $tries signals at 1-8 s ($dirty left some)" [ "$dirty" -eq 0 ]

finish
