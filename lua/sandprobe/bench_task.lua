-- One parallel run of `sandprobe bench`, in a worker thread's own Lua state
-- (lua/sandprobe/worker.lua hands it tasks with module = "sandprobe.bench_task").
--   task:   {module = "sandprobe.bench_task", code = "...", validate = true|false, guard = true|false}
--   result: JSON {duration_s, exit_code, stdout, stderr, error, timed_out}
local core = require("sandprobe.core")
local json = require("json")
local sandbox = require("sandprobe.sandbox")

local M = {}

function M.run(task)
  local t0 = core.monotonic()
  local ok, r = pcall(sandbox.run, { code = task.code, validate = task.validate ~= false, guard = task.guard ~= false })
  local duration = core.monotonic() - t0
  if not ok then return json.encode { duration_s = duration, error = tostring(r) } end
  return json.encode {
    duration_s = duration, exit_code = r.exit_code, stdout = r.stdout, stderr = r.stderr,
    error = r.error, timed_out = r.timed_out,
  }
end

return M
