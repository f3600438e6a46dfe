#!/bin/sh
# Makes a Docker daemon reachable: installs Debian's docker.io when no engine is
# installed, starts dockerd when nothing answers on the socket, and waits until
# /_ping answers. Idempotent: a reachable daemon is left alone.
set -eu

SOCKET="${SANDPROBE_DOCKER_SOCKET:-/var/run/docker.sock}"
LOG="${SANDPROBE_DOCKERD_LOG:-/var/log/sandprobe-dockerd.log}"

ping_daemon() {
    curl -sf --max-time 3 --unix-socket "$SOCKET" http://localhost/_ping >/dev/null 2>&1
}

if ping_daemon; then
    echo "start-docker: daemon answers on $SOCKET"
    exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
    echo "start-docker: installing docker.io"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker.io
fi

# A stale pid file from a daemon that died keeps a new one from starting.
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
    echo "start-docker: starting dockerd (log: $LOG)"
    # setsid detaches the daemon from this script's session so it outlives it.
    setsid dockerd >"$LOG" 2>&1 </dev/null &
fi

i=0
while ! ping_daemon; do
    i=$((i + 1))
    if [ "$i" -ge 60 ]; then
        echo "start-docker: dockerd did not answer on $SOCKET within 60 s; last log lines:" >&2
        tail -n 20 "$LOG" >&2 || true
        exit 1
    fi
    sleep 1
done
echo "start-docker: daemon answers on $SOCKET"
