#!/bin/sh
# The README's first command: on a fresh Debian 12 machine (as root) installs
# the packages, makes a Docker daemon reachable, builds the sandbox image and
# sandprobe itself, then runs the main job: the environment check and the
# seed pack against the real daemon. Idempotent; a second run redoes nothing
# that is done.
set -eu
cd "$(dirname "$0")/.."

./scripts/install-packages.sh
./scripts/start-docker.sh
./scripts/register-runtimes.sh
./scripts/build-image.sh

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2

mkdir -p build/reports
echo "== sandprobe doctor"
./build/sandprobe doctor
echo "== sandprobe run seed"
./build/sandprobe run seed \
    --format text \
    --format json --output build/reports/seed.json \
    --format junit --output build/reports/seed.xml \
    --format markdown --output build/reports/seed.md
echo "reports: build/reports/seed.{json,xml,md}"
