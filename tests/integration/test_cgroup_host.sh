#!/bin/sh
# The cgroup module against a real container on this host: the limits read
# from the container's cgroup equal the ones given to `docker run`.
set -u
: "${SANDPROBE:?binary not set}" "${SANDPROBE_TESTS:?tests folder not set}"

if ! docker info >/dev/null 2>&1; then
    echo "docker daemon not reachable"
    echo "0 passed, 1 failed"
    exit 1
fi

work=$(mktemp -d)
id=""
cleanup() {
    [ -n "$id" ] && docker rm -f "$id" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No network: the test needs none, and it must not depend on the daemon's bridge.
id=$(docker run -d --label sandprobe.managed=true --network none --memory 64m \
    --memory-swap 64m --pids-limit 32 sandprobe/python:3.11 sleep 60) || {
    echo "docker run failed"
    echo "0 passed, 1 failed"
    exit 1
}
pid=$(docker inspect -f '{{.State.Pid}}' "$id")

cat >"$work/test_host.lua" <<'LUA'
local T = require("sandprobe.testing")
local cgroup = require("cgroup")
local id, pid = os.getenv("CONTAINER_ID"), math.tointeger(os.getenv("CONTAINER_PID"))

local function check_limits(s)
  T.eq(s.memory_limit_bytes, 64 * 1024 * 1024, "memory limit")
  T.eq(s.swap_limit_bytes, 0, "swap limit (--memory-swap equal to --memory)")
  T.eq(s.pids_max, 32, "pids.max")
  T.ok(s.pids_current >= 1, "pids.current")
  T.ok(s.memory_usage_bytes > 0, "memory usage")
  T.ok(s.memory_peak_bytes >= s.memory_usage_bytes, "peak >= usage")
  T.eq(s.oom_kills, 0, "no OOM kill yet")
  T.eq(s.memory_failcnt, 0, "failcnt")
  T.ok(s.cpu_usage_seconds > 0, "cpu usage")
end

T.test("version of this host", function()
  T.eq(cgroup.version(), tonumber(os.getenv("EXPECTED_VERSION")))
end)

T.test("limits through the container's pid", function()
  local s = assert(cgroup.read(id, { pid = pid }))
  T.contains(s.path, id)
  check_limits(s)
end)

T.test("limits through the well-known paths", function()
  local s = assert(cgroup.read(id))
  T.eq(s.driver, "cgroupfs")
  check_limits(s)
end)

T.test("a wrong pid is not trusted", function()
  local s = assert(cgroup.read(id, { pid = 1 }))
  T.contains(s.path, id)
end)
LUA

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then version=2; else version=1; fi
CONTAINER_ID=$id CONTAINER_PID=$pid EXPECTED_VERSION=$version \
    "$SANDPROBE" selftest "$work/test_host.lua" >"$work/out" 2>&1
status=$?

# After removal the cgroup is gone: the error names the paths tried.
docker rm -f "$id" >/dev/null 2>&1
cat >"$work/test_gone.lua" <<'LUA'
local T = require("sandprobe.testing")
local cgroup = require("cgroup")
T.test("a removed container has no cgroup", function()
  local s, err = cgroup.read(os.getenv("CONTAINER_ID"))
  T.eq(s, nil)
  T.contains(err, "not found")
  T.contains(err, "/docker/" .. os.getenv("CONTAINER_ID"))
end)
LUA
CONTAINER_ID=$id "$SANDPROBE" selftest "$work/test_gone.lua" >>"$work/out" 2>&1 || status=1
id=""
cat "$work/out"

# One summary over both files (each selftest run prints its own).
awk '/^ok /{p++} /^FAIL /{f++} END{printf "%d passed, %d failed\n", p, f}' "$work/out"
exit $status
