-- Reading whole files: the one way the library does it. Not under lib/:
-- lib/ is scenario-safe (env.lua), and this reaches the host's files.
--   files.read_file(path) -> text | nil, message
-- The message is io.open's ("x: No such file or directory") or, for what
-- opens but cannot be read (a directory), "x: cannot read (a directory?)".
local M = {}

function M.read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("a")
  f:close()
  if text == nil then return nil, path .. ": cannot read (a directory?)" end
  return text
end

return M
