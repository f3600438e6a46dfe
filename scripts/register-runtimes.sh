#!/bin/sh
# Registers gVisor (Debian's runsc) with the Docker daemon twice, so packs can
# run across runtimes (`sandprobe run seed --runtime runc,runsc,runsc-oci-seccomp`):
#
#   runsc              the distribution's defaults: the container's seccomp
#                      profile is NOT applied (gVisor ignores it silently)
#   runsc-oci-seccomp  the same with --oci-seccomp: the profile is enforced
#
# Both carry --network=none: on this kernel runsc cannot start a container
# with `--network none` otherwise. Idempotent and additive: other keys and
# other runtimes of /etc/docker/daemon.json are kept; the file is rewritten
# only when an entry is missing or different, then the daemon reloads its
# runtimes on SIGHUP (no restart: containers of others keep running).
set -eu

CONFIG="${SANDPROBE_DOCKER_CONFIG:-/etc/docker/daemon.json}"
PIDFILE="${SANDPROBE_DOCKER_PIDFILE:-/var/run/docker.pid}"
SOCKET="${SANDPROBE_DOCKER_SOCKET:-/var/run/docker.sock}"
RUNSC="$(command -v runsc || true)"

if [ -z "$RUNSC" ]; then
    echo "register-runtimes: runsc is not installed (scripts/install-packages.sh installs it)" >&2
    exit 1
fi

mkdir -p "$(dirname "$CONFIG")"
changed="$(python3 - "$CONFIG" "$RUNSC" <<'EOF'
import json, os, sys
path, runsc = sys.argv[1], sys.argv[2]
try:
    with open(path) as f:
        text = f.read()
except FileNotFoundError:
    text = ""
try:
    config = json.loads(text) if text.strip() else {}
except ValueError as e:
    sys.exit(f"register-runtimes: {path} is not valid JSON ({e}); fix it first, nothing was changed")
if not isinstance(config, dict):
    sys.exit(f"register-runtimes: {path} must hold a JSON object; nothing was changed")
wanted = {
    "runsc": {"path": runsc, "runtimeArgs": ["--network=none"]},
    "runsc-oci-seccomp": {"path": runsc, "runtimeArgs": ["--network=none", "--oci-seccomp"]},
}
runtimes = config.setdefault("runtimes", {})
if all(runtimes.get(k) == v for k, v in wanted.items()):
    print("no")
    sys.exit(0)
runtimes.update(wanted)
tmp = path + ".sandprobe.tmp"
with open(tmp, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
print("yes")
EOF
)"

runtimes_known() {
    curl -sf --max-time 5 --unix-socket "$SOCKET" http://localhost/info |
        python3 -c 'import json,sys; r=json.load(sys.stdin).get("Runtimes",{}); sys.exit(0 if "runsc" in r and "runsc-oci-seccomp" in r else 1)'
}

if [ "$changed" = "no" ] && runtimes_known; then
    echo "register-runtimes: runsc and runsc-oci-seccomp already registered"
    exit 0
fi
if [ ! -f "$PIDFILE" ] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "register-runtimes: wrote $CONFIG; no dockerd pid in $PIDFILE to reload, the next start reads it"
    exit 0
fi
kill -HUP "$(cat "$PIDFILE")"
i=0
until runtimes_known; do
    i=$((i + 1))
    if [ "$i" -ge 20 ]; then
        echo "register-runtimes: dockerd did not offer runsc after SIGHUP; see its log" >&2
        exit 1
    fi
    sleep 0.5
done
echo "register-runtimes: runsc and runsc-oci-seccomp registered in $CONFIG and reloaded"
