-- The one error type for usage and configuration problems: a bad option or
-- value, a selection that does not parse, a pack path or output file that
-- cannot be used, a daemon that cannot be reached. Library code (args,
-- selection, runner, the commands) raises it; cli.lua alone turns it into
-- one line on stderr and exit status 2, before anything has run.
local M = {}

local ConfigError = {}
ConfigError.__index = ConfigError
ConfigError.__tostring = function(e) return e.message end

-- Raises a configuration error with a one-line message.
function M.raise(message)
  error(setmetatable({ message = (tostring(message):gsub("\n", " ")) }, ConfigError), 0)
end

function M.is(value)
  return getmetatable(value) == ConfigError
end

return M
