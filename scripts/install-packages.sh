#!/bin/sh
# Installs the Debian packages that building, running and testing sandprobe need.
# Idempotent: packages already present are not fetched again.
set -eu

PACKAGES="build-essential cmake pkg-config clang libclang-rt-dev
liblua5.4-dev lua5.4 libcurl4-openssl-dev libcjson-dev libseccomp-dev libmicrohttpd-dev
debootstrap prometheus prometheus-alertmanager python3 python3-prometheus-client procps iproute2 curl ca-certificates xz-utils
chromium fonts-dejavu-core
libxml2-utils python3-jsonschema python3-rfc3987 cmark-gfm perl
libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
runsc crun podman openssl"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-packages: all packages present"
    exit 0
fi
echo "install-packages: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
