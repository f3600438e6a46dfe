-- Pool: a pooled run gives the same result as a cold run, apart from
-- durations and the container's identity: output, errors, exit codes,
-- truncation, time-outs, Layer 1 refusals. The layers hold in a pooled
-- container: no fork, no network, read-only root, non-root.
local oh = require("seed_overhead")
local pool = require("sandprobe.pool")

local PROGRAMS = {
  -- Trusted probes that import modules Layer 1 refuses run with validate = false.
  { name = "output", validate = false, code = "import sys\nprint('out')\nprint('err', file=sys.stderr)\n" },
  { name = "exit_code", validate = false, code = "import sys\nsys.exit(3)\n" },
  { name = "exception", code = "raise ValueError('boom')\n" },
  { name = "truncated", code = "print('x' * 10000)\n", max_output = 1000 },
  { name = "timeout", code = "while True:\n    pass\n", timeout = 1 },
  { name = "rejected", code = "import os\nos.system('id')\n" },
  { name = "layers", validate = false, code = [[
import os, socket
try:
    os.fork(); print("fork allowed")
except OSError as e:
    print("fork", e.errno)
try:
    socket.create_connection(("1.1.1.1", 53), timeout=1); print("network allowed")
except OSError as e:
    print("network", e.errno)
try:
    open("/root-test", "w"); print("root writable")
except OSError as e:
    print("root", e.errno)
print("rootmount", [l.split()[3].split(",")[0] for l in open("/proc/mounts") if l.split()[1] == "/"][-1])
print("uid", "own" if os.getuid() >= 2**30 else "root" if os.getuid() == 0 else "fixed")  # own: a fresh uid per container
]] },
}

return {
  id = "seed.overhead.pool_identical",
  title = "pool: a pooled result is identical to a cold one apart from durations",
  tags = { "overhead", "pool", "slow" },
  requires = { "docker" },
  remediation = "A pool must start its containers from the same spec as a cold run (sandbox.container_spec). " ..
    require("seed_probe").GVISOR_SECCOMP,
  run = function(t)
    local labels = oh.label("pool_identical")
    -- The guard is off for the pool and the cold runs alike: the "layers"
    -- probe tests the container layers, which the guard would stop it before.
    local p <close> = pool.new { size = 1, labels = labels, guard = false }
    for _, prog in ipairs(PROGRAMS) do
      local options = { code = prog.code, validate = prog.validate, max_output = prog.max_output,
                        timeout = prog.timeout, labels = labels, guard = false }
      local cold = sandbox.run(options)
      local served = p:stats().served
      local warm = p:run(options)
      p:refill()
      local diff = oh.differences(cold, warm)
      t:note(prog.name, { cold = cold.stdout .. cold.stderr, pooled = warm.stdout .. warm.stderr,
                          outcome = warm.outcome, differences = #diff > 0 and diff or nil })
      t:check(#diff == 0, prog.name .. ": same result (" .. table.concat(diff, ", ") .. ")")
      if not warm.rejected then
        t:check(p:stats().served == served + 1, prog.name .. ": the pooled run used a warm container")
      end
      if prog.name == "layers" then
        t:check(warm.stdout:find("fork 1\n", 1, true) ~= nil, "fork refused with EPERM in a pooled container")
        t:check(warm.stdout:find("network allowed", 1, true) == nil, "no network in a pooled container")
        -- EROFS from Linux; gVisor checks permissions first (EACCES, 13):
        -- the mount table is the witness on both.
        t:check((warm.stdout:find("root 30\n", 1, true) or warm.stdout:find("root 13\n", 1, true))
          and warm.stdout:find("rootmount ro\n", 1, true), "read-only root in a pooled container")
        t:check(warm.stdout:find("uid root", 1, true) == nil, "non-root in a pooled container")
      end
    end
  end,
}
