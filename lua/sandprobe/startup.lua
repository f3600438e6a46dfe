-- What commands that create containers do first: remove the leftovers of
-- earlier runs whose process is gone (a SIGKILLed run cannot clean up after
-- itself), and say how many there were.
local M = {}

-- Returns the number swept (0 when the daemon is unreachable: the commands
-- report that themselves, where it matters).
function M.sweep_leftovers(out)
  local ok, docker = pcall(require, "docker")
  if not ok then return 0 end
  local swept = docker.sweep()
  if swept and swept > 0 then
    out:write(("sandprobe: swept %d leftover container%s of earlier runs\n"):format(swept, swept == 1 and "" or "s"))
  end
  return swept or 0
end

-- The reason, once a request to the daemon went unanswered in this process
-- (every later one fails at once), else nil.
function M.daemon_unreachable()
  local ok, docker = pcall(require, "docker")
  return ok and docker.unreachable() or nil
end

-- True when any of the catalogue entries needs the daemon.
function M.needs_docker(entries)
  for _, e in ipairs(entries) do
    for _, r in ipairs(e.requires or {}) do
      if r == "docker" then return true end
    end
  end
  return false
end

return M
