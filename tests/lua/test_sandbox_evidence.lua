-- The cgroup evidence of a run shows limits only as read after they applied:
-- a sample taken before the runtime wrote them ("max") is reported as not read.
local T = require("sandprobe.testing")
local sandbox = require("sandprobe.sandbox")

local LIMITED = { memory = "512m", pids_limit = 64 }

T.test("limits read after they applied are shown", function()
  local e = sandbox.cgroup_evidence({ memory_limit_bytes = 536870912, pids_max = 64,
                                      memory_peak_bytes = 1000, oom_kills = 0 }, LIMITED)
  T.eq(e.memory_limit_bytes, 536870912)
  T.eq(e.pids_max, 64)
  T.eq(e.memory_peak_bytes, 1000)
end)

T.test("a sample from before the limits applied says so", function()
  local e = sandbox.cgroup_evidence({ memory_limit_bytes = "max", pids_max = "max" }, LIMITED)
  T.eq(e.memory_limit_bytes, sandbox.LIMIT_NOT_READ)
  T.eq(e.pids_max, sandbox.LIMIT_NOT_READ)
end)

T.test("no limit asked for: no limit is a true reading", function()
  local e = sandbox.cgroup_evidence({ memory_limit_bytes = "max", pids_max = "max" }, {})
  T.eq(e.memory_limit_bytes, "max")
  T.eq(e.pids_max, "max")
end)

return T
