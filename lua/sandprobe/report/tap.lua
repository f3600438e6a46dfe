-- TAP version 13: a plan, one line per scenario, failure details as a YAML
-- block, skips as "# SKIP reason".
--
-- A test line is one line whatever a title holds: text is made visible
-- (util.visible), then backslash, '#' and line breaks are escaped ("\\",
-- "\#", "\n"), so nothing in it can end the line, start a directive or add a
-- test point. YAML values are double-quoted JSON strings (valid YAML 1.2
-- flow scalars) of the visible text: YAML allows no DEL or C1 control even
-- escaped as JSON does not escape them, and visible() leaves none.
local json = require("json")
local util = require("sandprobe.report.util")

local M = {}

local function yaml_scalar(s)
  return json.encode(util.visible(s))
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

local LINE_ESCAPES = { ["\\"] = "\\\\", ["#"] = "\\#", ["\n"] = "\\n" }

-- Text that stays on its test line and starts no directive.
local function one_line(s)
  return (util.visible(s):gsub("[\\#\n]", LINE_ESCAPES))
end

local function description(r)
  return one_line(r.id .. " - " .. (r.title or ""))
end

function M.render(run)
  local out = { "TAP version 13\n", ("1..%d\n"):format(#run.results) }
  for i, r in ipairs(run.results) do
    if r.status == "skip" then
      out[#out + 1] = ("ok %d - %s # SKIP %s\n"):format(i, description(r), one_line(r.message or ""))
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
