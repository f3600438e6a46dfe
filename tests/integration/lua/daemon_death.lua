-- Runs against a private dockerd that the shell test kills while an events
-- call is waiting on it ($SANDPROBE_READY_FILE says when the call starts).
local T = require("sandprobe.testing")
local docker = require("docker")
local core = require("sandprobe.core")

T.test("the private daemon answers", function()
  T.eq(docker.ping(), "1.41")
end)

T.test("a daemon killed mid-call is a clear error, not a hang or a crash", function()
  local f = assert(io.open(assert(os.getenv("SANDPROBE_READY_FILE")), "w"))
  f:write("ready")
  f:close()
  local t0 = core.monotonic()
  local ok, msg, status = docker.events { since = core.now(), ["until"] = core.now() + 60 }
  print("  message: " .. tostring(msg))
  T.eq(ok, nil)
  T.eq(status, 0)
  T.contains(msg, "lost the connection to the Docker daemon at " .. docker.endpoint())
  T.ok(core.monotonic() - t0 < 30, "returned when the daemon died")
end)

T.test("afterwards the daemon is unreachable, in one line", function()
  local ok, msg, status = docker.ping()
  print("  message: " .. tostring(msg))
  T.eq(ok, nil)
  T.eq(status, 0)
  T.contains(msg, "cannot reach the Docker daemon at " .. docker.endpoint() .. ": ")
  T.eq(msg:find("\n"), nil)
end)

return T
