-- `sandprobe selftest FILE...`: runs Lua-level test files inside the engine,
-- with the full library and C modules (the test suite's entry point).
local args = require("sandprobe.args")

local M = {
  hidden = true,
  summary = "run Lua-level test files inside the engine (used by the test suite)",
  usage = "Usage: sandprobe selftest FILE...",
  options = {},
}

function M.run(argv)
  local _, files = args.parse(argv, M.options)
  if #files == 0 then args.usage_error("no test file given") end
  local testing = require("sandprobe.testing")
  for _, file in ipairs(files) do
    local chunk, err = loadfile(file, "t")
    if not chunk then args.usage_error(err) end
    chunk()
  end
  return testing.run() == 0 and 0 or 1
end

return M
