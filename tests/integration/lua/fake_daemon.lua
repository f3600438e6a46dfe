-- Runs against tests/integration/fake_docker.py (DOCKER_HOST points at it).
local T = require("sandprobe.testing")
local docker = require("docker")

T.test("negotiates down to the daemon's older API version", function()
  T.eq(docker.ping(), "1.40")
end)

T.test("an import failing inside a 200 answer is an error", function()
  local tar = os.tmpname()
  local f = assert(io.open(tar, "wb"))
  f:write(string.rep("x", 100000))
  f:close()
  local ok, msg, status = docker.image_import(tar, "sandprobe-test/fake:1")
  os.remove(tar)
  T.eq(ok, nil)
  T.eq(msg, "image import failed: no space left on device")
  T.eq(status, 200)
end)

T.test("a malformed output stream is an error, not garbage", function()
  local c <close> = assert(docker.create { image = "fake" })
  local ok, msg = c:logs()
  T.eq(ok, nil)
  T.contains(msg, "malformed output stream")
end)

T.test("a non-JSON error body gives its first line and the status", function()
  local ok, msg, status = docker.info()
  T.eq(ok, nil)
  T.eq(msg, "daemon exploded")
  T.eq(status, 500)
end)

return T
