#!/bin/sh
# `cmake --install` puts the binary, the Lua library and the packs where the
# installed binary finds them: it runs from the prefix with the build tree
# out of reach.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"

BUILD_DIR="$(dirname "$SANDPROBE")"
PREFIX="$WORK/prefix"
cmake --install "$BUILD_DIR" --prefix "$PREFIX" >/dev/null 2>&1
check "cmake --install succeeds" test -x "$PREFIX/bin/sandprobe"
check "Lua library installed" test -f "$PREFIX/share/sandprobe/lua/sandprobe/runner.lua"
check "packs installed" test -f "$PREFIX/share/sandprobe/scenarios/seed/pack.lua"

# Move the prefix so that no path recorded at build or install time can help.
mv "$PREFIX" "$WORK/moved"
(cd / && "$WORK/moved/bin/sandprobe" run selftest.status.pass >/dev/null 2>&1)
expect_status "installed binary runs a scenario from a moved prefix" 0 $?
(cd / && "$WORK/moved/bin/sandprobe" list seed | grep -q '^seed.layer2.network ')
expect_status "installed binary lists the seed pack" 0 $?
(cd / && SANDPROBE_HOME=/nonexistent "$WORK/moved/bin/sandprobe" --version >/dev/null 2>&1)
expect_status "a wrong SANDPROBE_HOME falls back to the binary's own share/" 0 $?

finish
