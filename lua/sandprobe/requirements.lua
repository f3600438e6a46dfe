-- What a scenario's `requires` list may name, and how each is checked. An
-- unmet requirement makes the scenario an error: the check it would have made
-- did not happen, and a report must not show it as passed or quietly skipped.
local M = {}

local checks = {
  docker = function()
    local ok, docker = pcall(require, "docker")
    if not ok then return nil, "this engine was built without the docker module" end
    local pong, err = docker.ping()
    if not pong then return nil, err end
    return true
  end,
}

-- Returns true, or nil and why the requirement is not met.
function M.check(name)
  local check = checks[name]
  if not check then return nil, ("unknown requirement '%s'"):format(tostring(name)) end
  return check()
end

function M.known(name)
  return checks[name] ~= nil
end

return M
