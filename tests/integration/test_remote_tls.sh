#!/bin/sh
# A remote engine over TLS, for real: a second dockerd of this test's own
# (own data root, exec root, pid file, unix socket and private bridge, no
# iptables changes) listens with --tlsverify on loopback, with a CA and
# certificates made here by openssl. sandprobe reaches it the way the docker
# CLI does (DOCKER_HOST=tcp://..., DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) and
# through a target file's endpoint: doctor, a pack and the pool. The daemon
# also offers crun, which this host's hybrid cgroup layout makes fail: doctor
# says so in one line, and a run on runc,crun errors crun's column while
# runc's runs. A wrong CA, a missing key and a plain-HTTP port each give one
# clear line. The daemon is stopped by its pid.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

D="$WORK/daemon"
mkdir -p "$D/data" "$D/exec" "$D/certs" "$D/client" "$D/wrongca"
BRIDGE="sptls$$"
BRIDGE="$(printf '%.15s' "$BRIDGE")"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
PLAIN_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
DAEMON_PID=""
PLAIN_PID=""

cleanup() {
    if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
        kill "$DAEMON_PID"
        wait_for_exit "$DAEMON_PID" 30 || kill -9 "$DAEMON_PID"
    fi
    [ -n "$PLAIN_PID" ] && kill "$PLAIN_PID" 2>/dev/null
    ip link del "$BRIDGE" 2>/dev/null
    # dockerd leaves its data root bind-mounted on itself.
    awk -v d="$D/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$D"
}
trap cleanup EXIT INT TERM

# ---- certificates: a CA, a server certificate for 127.0.0.1, a client one --------
make_ca() { # DIR
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sandprobe test CA" \
        -keyout "$1/ca-key.pem" -out "$1/ca.pem" 2>/dev/null
}
sign() { # NAME CN EXT
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$D/certs/$1-key.pem" \
        -out "$D/certs/$1.csr" 2>/dev/null &&
    printf '%s\n' "$3" >"$D/certs/$1.ext" &&
    openssl x509 -req -in "$D/certs/$1.csr" -CA "$D/certs/ca.pem" -CAkey "$D/certs/ca-key.pem" \
        -CAcreateserial -days 2 -extfile "$D/certs/$1.ext" -out "$D/certs/$1.pem" 2>/dev/null
}
make_ca "$D/certs" && make_ca "$D/wrongca" &&
sign server 127.0.0.1 "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth" &&
sign client sandprobe "extendedKeyUsage=clientAuth"
check "openssl made a CA, a server and a client certificate" test -s "$D/certs/client.pem"
cp "$D/certs/ca.pem" "$D/client/ca.pem"
cp "$D/certs/client.pem" "$D/client/cert.pem"
cp "$D/certs/client-key.pem" "$D/client/key.pem"

# ---- the second daemon -------------------------------------------------------------
ip link add name "$BRIDGE" type bridge && ip addr add 172.31.254.1/24 dev "$BRIDGE" && ip link set "$BRIDGE" up
check "private bridge $BRIDGE" ip link show "$BRIDGE" >/dev/null
echo '{}' >"$D/daemon.json"
setsid dockerd --config-file "$D/daemon.json" --data-root "$D/data" --exec-root "$D/exec" \
    --pidfile "$D/docker.pid" -H "unix://$D/docker.sock" -H "tcp://127.0.0.1:$PORT" \
    --tlsverify --tlscacert "$D/certs/ca.pem" --tlscert "$D/certs/server.pem" --tlskey "$D/certs/server-key.pem" \
    --bridge "$BRIDGE" --iptables=false --ip-masq=false --ip-forward=false \
    --add-runtime "crun=$(command -v crun)" >"$D/dockerd.log" 2>&1 </dev/null &
DAEMON_PID=$!
i=0
until curl -sf --max-time 2 --unix-socket "$D/docker.sock" http://localhost/_ping >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -ge 60 ] || ! kill -0 "$DAEMON_PID" 2>/dev/null; then
        fail "second dockerd did not start" "$(tail -n 15 "$D/dockerd.log")"
        finish; exit 1
    fi
    sleep 1
done
pass "second dockerd answers (pid $DAEMON_PID)"
docker save "$IMAGE" | docker -H "unix://$D/docker.sock" load >/dev/null
check "the sandbox image is loaded into the second daemon" docker -H "unix://$D/docker.sock" image inspect "$IMAGE" >/dev/null

tls() { DOCKER_HOST="tcp://127.0.0.1:$PORT" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$D/client" "$@"; }

# ---- doctor, a pack, the pool, through TLS -------------------------------------------
tls "$SANDPROBE" doctor >"$WORK/doctor.txt" 2>&1
status=$?
check "doctor over TLS: the daemon answers at tcp://" grep -q "✓ daemon reachable .*tcp://127.0.0.1:$PORT answers" "$WORK/doctor.txt"
check "doctor over TLS: test container" grep -q '^✓ test container' "$WORK/doctor.txt"
check "doctor: runc starts containers" grep -q '^✓ runtime runc ' "$WORK/doctor.txt"
check "doctor: default bridge present (the private one)" grep -q "default bridge network *present ($BRIDGE)" "$WORK/doctor.txt"
crun_lines="$(grep -c 'runtime crun' "$WORK/doctor.txt")"
if grep -q '^✗ runtime crun ' "$WORK/doctor.txt" && [ "$crun_lines" = 1 ]; then
    pass "doctor: crun's failure in one line: $(grep '^✗ runtime crun' "$WORK/doctor.txt" | cut -c1-160)"
else
    fail "doctor: crun line" "$(cat "$WORK/doctor.txt")"
fi
expect_status "doctor: exit 1 (crun fails)" 1 "$status"

tls "$SANDPROBE" run "seed.sandbox.* and not slow" --format json --output "$WORK/pack.json" >"$WORK/pack.txt" 2>&1
expect_status "seed.sandbox.* over TLS: exit 0" 0 $?
check "seed.sandbox.* over TLS: every scenario passed" python3 -c '
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
sys.exit(0 if len(rs) > 5 and all(r["status"] == "pass" for r in rs) else 1)' "$WORK/pack.json"

printf 'print(6 * 7)\n' >"$WORK/p.py"
out="$(tls "$SANDPROBE" exec --pool 2 "$WORK/p.py" 2>"$WORK/pool.err")"
[ "$out" = 42 ] && pass "exec --pool 2 over TLS prints 42" || fail "exec --pool over TLS" "$out $(cat "$WORK/pool.err")"
tls "$SANDPROBE" run seed.overhead.pool_reuse >"$WORK/pool.txt" 2>&1
expect_status "the pool scenario over TLS" 0 $?

# A target file whose endpoint is the TLS daemon, with runc and crun: crun's
# column errors with the daemon's message, runc's runs.
cat >"$WORK/remote.lua" <<EOF
return { image = "$IMAGE", endpoint = "tcp://127.0.0.1:$PORT", runtime = { "runc", "crun" },
         network = "none", read_only = true, tmpfs = { "/tmp:rw,noexec,nosuid,size=64m" },
         seccomp = "hardened", security_opt = { "no-new-privileges" }, user = "1000:100",
         memory = "512m", pids_limit = 64, cpus = 1.0, cap_drop = { "ALL" } }
EOF
DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$D/client" "$SANDPROBE" run "seed.sandbox.exit_code or seed.sandbox.seccomp" \
    --target "$WORK/remote.lua" --format json --output "$WORK/remote.json" >"$WORK/remote.txt" 2>&1
expect_status "target endpoint tcp:// with TLS, runc,crun: exit 1 (crun errors)" 1 $?
python3 - "$WORK/remote.json" <<'PY' >"$WORK/remote.verdict" 2>&1
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
runc = [r for r in rs if r["runtime"] == "runc"]
crun = [r for r in rs if r["runtime"] == "crun"]
ok = (len(runc) == 2 and all(r["status"] == "pass" for r in runc) and len(crun) == 2
      and all(r["status"] == "error" and r["message"].startswith("runtime crun cannot start containers: ") for r in crun))
print("ok" if ok else json.dumps(rs)[:1000])
PY
if [ "$(cat "$WORK/remote.verdict")" = "ok" ]; then pass "runc column passes, crun column errors with the daemon's message"
else fail "runc,crun matrix" "$(cat "$WORK/remote.verdict")"; fi

# ---- what goes wrong, in one clear line each ------------------------------------------
one_line_error() { # NAME PATTERN FILE
    if [ "$(wc -l <"$3")" -le 2 ] && grep -q "$2" "$3"; then pass "$1: $(head -n1 "$3" | cut -c1-150)"
    else fail "$1" "$(cat "$3")"; fi
}
mkdir -p "$WORK/wrong" "$WORK/nokey"
cp "$D/wrongca/ca.pem" "$WORK/wrong/ca.pem"; cp "$D/client/cert.pem" "$D/client/key.pem" "$WORK/wrong/"
DOCKER_HOST="tcp://127.0.0.1:$PORT" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$WORK/wrong" \
    "$SANDPROBE" exec "$WORK/p.py" >/dev/null 2>"$WORK/wrongca.err"
expect_status "wrong CA: exit 125" 125 $?
one_line_error "wrong CA" "certificate" "$WORK/wrongca.err"

cp "$D/client/ca.pem" "$D/client/cert.pem" "$WORK/nokey/"
DOCKER_HOST="tcp://127.0.0.1:$PORT" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$WORK/nokey" \
    "$SANDPROBE" exec "$WORK/p.py" >/dev/null 2>"$WORK/nokey.err"
expect_status "missing key: exit 125" 125 $?
one_line_error "missing key" "TLS: client key file $WORK/nokey/key.pem not found" "$WORK/nokey.err"

python3 -m http.server "$PLAIN_PORT" --bind 127.0.0.1 >/dev/null 2>&1 &
PLAIN_PID=$!
sleep 1
DOCKER_HOST="tcp://127.0.0.1:$PLAIN_PORT" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$D/client" \
    "$SANDPROBE" exec "$WORK/p.py" >/dev/null 2>"$WORK/plain.err"
expect_status "plain-HTTP port: exit 125" 125 $?
one_line_error "plain-HTTP port" "the port does not speak TLS" "$WORK/plain.err"

left="$(docker -H "unix://$D/docker.sock" ps -aq --filter label=sandprobe.managed=true | wc -l)"
[ "$left" = 0 ] && pass "no container left behind on the second daemon" || fail "$left containers left behind"

cleanup
trap - EXIT INT TERM
check "the second dockerd stopped by its pid" sh -c "! kill -0 $DAEMON_PID 2>/dev/null"
finish
