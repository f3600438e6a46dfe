#!/bin/sh
# Builds the sandbox image from Debian packages: no image registry is reachable,
# so a minimal bookworm root with python3 is made with debootstrap and imported.
# Idempotent: an existing image of this script's IMAGE_VERSION is kept unless
# --force is given; an older one (an other or no sandprobe.image.version
# label) is rebuilt.
set -eu

# Raise when the image's content changes, so machines holding an older build
# rebuild it. 2: setuid/setgid bits stripped.
IMAGE_VERSION=2

IMAGE="${SANDPROBE_IMAGE:-sandprobe/python:3.11}"
SUITE="${SANDPROBE_IMAGE_SUITE:-bookworm}"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

if [ "$FORCE" = 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
    HAVE="$(docker image inspect "$IMAGE" --format '{{index .Config.Labels "sandprobe.image.version"}}' 2>/dev/null || true)"
    if [ "$HAVE" = "$IMAGE_VERSION" ]; then
        echo "build-image: $IMAGE present (version $IMAGE_VERSION)"
        exit 0
    fi
    echo "build-image: $IMAGE is version '${HAVE:-none}', rebuilding as version $IMAGE_VERSION"
fi

command -v debootstrap >/dev/null 2>&1 || {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap
}

ROOT="$(mktemp -d /var/tmp/sandprobe-rootfs.XXXXXX)"
trap 'rm -rf "$ROOT"' EXIT INT TERM

# The mirror is whatever apt on this machine already uses, so the script names none.
MIRROR="$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)"
[ -n "$MIRROR" ] || MIRROR="$(awk '$1=="deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)"
[ -n "$MIRROR" ] || { echo "build-image: cannot find the Debian mirror apt uses" >&2; exit 1; }

echo "build-image: debootstrap $SUITE with python3 into $ROOT"
debootstrap --variant=minbase --include=python3 "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 || {
    echo "build-image: debootstrap failed; last lines:" >&2; tail -n 20 "$ROOT.log" >&2; exit 1; }
rm -f "$ROOT.log"

# The sandbox runs code as an unprivileged user; give it a name and a home.
chroot "$ROOT" groupadd -g 65534 -f nogroup >/dev/null 2>&1 || true
chroot "$ROOT" useradd -u 1000 -g 100 -M -d /tmp -s /usr/sbin/nologin sandbox
rm -rf "$ROOT/var/cache/apt/archives/"*.deb "$ROOT/var/lib/apt/lists/"*

# No setuid/setgid programs (su, mount, passwd, ...): no-new-privileges makes
# them harmless in the default sandbox, but a target without it would not be.
find "$ROOT" -xdev -type f -perm /6000 -exec chmod ug-s {} +

echo "build-image: importing as $IMAGE"
tar -C "$ROOT" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    --change 'LABEL sandprobe.image=python' \
    --change "LABEL sandprobe.image.version=$IMAGE_VERSION" \
    - "$IMAGE" >/dev/null
docker image inspect "$IMAGE" --format 'build-image: {{.Id}} {{.Size}} bytes'
