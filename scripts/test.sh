#!/bin/sh
# The README's second command, and what CI runs: makes sure the packages, the
# Docker daemon and the sandbox image are there, then runs the whole suite
# (unit, Lua, integration against the real daemon) on a normal build, the
# unit and Lua tests again under ASan+UBSan, and a short libFuzzer run of
# every fuzz target.
set -eu
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${SANDPROBE_FUZZ_SECONDS:-15}"

./scripts/install-packages.sh
./scripts/start-docker.sh
./scripts/register-runtimes.sh
./scripts/build-image.sh

status=0

echo "== build and test (RelWithDebInfo)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2
ctest --test-dir build --output-on-failure || status=1

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSANDPROBE_SANITIZE=ON >/dev/null
cmake --build build-asan -j2
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -L 'unit|lua' || status=1

echo "== fuzz every parser for ${FUZZ_SECONDS}s each"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DSANDPROBE_FUZZ=ON >/dev/null
targets="$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c; done)"
# shellcheck disable=SC2086
cmake --build build-fuzz -j2 --target $targets
for fuzzer in build-fuzz/tests/fuzz_*; do
    [ -x "$fuzzer" ] || continue
    name="$(basename "$fuzzer" | sed 's/^fuzz_//')"
    corpus="tests/fuzz/corpus/$name"
    work="$(mktemp -d)"
    [ -d "$corpus" ] && cp -r "$corpus/." "$work/"
    # The Python parsers also start from the validator's own corpora, kept
    # in one place instead of copied into the fuzz seeds.
    case "$name" in
        pyscan | pywalk | diversity) cp tests/validator/benign/*.py tests/validator/bypass/*.py "$work/" ;;
    esac
    if "$fuzzer" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 "$work" >"$work.log" 2>&1; then
        echo "fuzz $name: ok ($(grep -o 'Done [0-9]* runs' "$work.log" | tail -n1))"
    else
        echo "fuzz $name: FAILED"; tail -n 40 "$work.log"; status=1
    fi
    rm -rf "$work" "$work.log"
done

if [ "$status" -eq 0 ]; then echo "test.sh: all suites passed"; else echo "test.sh: FAILURES above"; fi
exit "$status"
