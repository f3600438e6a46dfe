-- TAP version 13: a plan, one line per scenario, failure details as a YAML
-- block, skips as "# SKIP reason".
local util = require("sandprobe.report.util")

local M = {}

local function yaml_scalar(s)
  s = tostring(s)
  if s:find("\n") then
    return "|\n      " .. (s:gsub("\n", "\n      "))
  end
  return (("%q"):format(s):gsub("\\\n", "\\n"))
end

local function yaml_block(r)
  local lines = { "  ---", "  message: " .. yaml_scalar(r.message or ""), "  severity: " .. r.status }
  local keys = util.sorted_keys(r.evidence)
  if #keys > 0 then
    lines[#lines + 1] = "  data:"
    for _, k in ipairs(keys) do
      lines[#lines + 1] = ("    %s: %s"):format(yaml_scalar(k), yaml_scalar(util.evidence_text(r.evidence[k])))
    end
  end
  lines[#lines + 1] = "  ..."
  return table.concat(lines, "\n") .. "\n"
end

local function description(r)
  -- '#' starts a directive in TAP; keep it out of the description.
  return ((r.id .. " - " .. (r.title or "")):gsub("#", "\\#"))
end

function M.render(run)
  local out = { "TAP version 13\n", ("1..%d\n"):format(#run.results) }
  for i, r in ipairs(run.results) do
    if r.status == "skip" then
      out[#out + 1] = ("ok %d - %s # SKIP %s\n"):format(i, description(r), (r.message or ""):gsub("\n", " "))
    elseif r.status == "pass" then
      out[#out + 1] = ("ok %d - %s\n"):format(i, description(r))
    else
      out[#out + 1] = ("not ok %d - %s\n"):format(i, description(r))
      out[#out + 1] = yaml_block(r)
    end
  end
  return table.concat(out)
end

return M
