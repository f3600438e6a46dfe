-- A module shared by the selftest pack's scenarios.
local M = {}

function M.double(x)
  return 2 * x
end

return M
