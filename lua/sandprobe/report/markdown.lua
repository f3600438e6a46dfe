-- A validation report a person reads: summary, one table row per scenario,
-- then every failure and error with its evidence and remediation.
--
-- Text from scenarios and programs is made visible (util.visible), then
-- outside code blocks '&', '<', '>' become entities (no raw HTML reaches a
-- renderer) and Markdown's own punctuation is backslash-escaped (no links,
-- emphasis or table cells injected); inside code spans and fenced blocks it
-- is literal and the delimiter is longer than any run of backticks in it.
local util = require("sandprobe.report.util")

local M = {}

local ICONS = { pass = "PASS", fail = "**FAIL**", error = "**ERROR**", skip = "SKIP" }

local HTML = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }

-- Inline text: one line, no HTML, no Markdown syntax.
local function cell(s)
  return (util.visible(s):gsub("[&<>]", HTML):gsub("[\\`*_{}%[%]()#+!|~]", "\\%0"):gsub("\n", " "))
end

-- A code span: literal inside (no HTML, no Markdown), delimited by more
-- backticks than any run in it; '|' escaped for the table.
local function code(s)
  local text = util.visible(s):gsub("\n", " "):gsub("|", "\\|")
  local ticks = "`"
  while text:find(ticks, 1, true) do ticks = ticks .. "`" end
  return ticks .. " " .. text .. " " .. ticks
end

local function fence(text)
  text = util.visible(text)
  local ticks = "```"
  while text:find(ticks, 1, true) do ticks = ticks .. "`" end
  return ticks .. "\n" .. text .. "\n" .. ticks .. "\n"
end

local function target_lines(run)
  if not run.target then return "" end
  return ("- Target: `%s`\n- Runtimes: %s\n"):format(cell(run.target), cell(table.concat(run.runtimes or {}, ", ")))
end

local function details(r)
  local where = r.runtime and (" (runtime `%s`)"):format(cell(r.runtime)) or ""
  local out = { ("\n### %s %s%s\n\n%s\n\n"):format(ICONS[r.status], cell(r.id), where, cell(r.title)) }
  if r.message then out[#out + 1] = fence(r.message) end
  local keys = util.sorted_keys(r.evidence)
  if #keys > 0 then
    out[#out + 1] = "\nEvidence:\n\n"
    for _, k in ipairs(keys) do
      out[#out + 1] = ("- %s:\n\n"):format(cell(k)) .. fence(util.evidence_text(r.evidence[k]))
    end
  end
  if r.remediation then out[#out + 1] = "\nRemediation: " .. cell(r.remediation) .. "\n" end
  return table.concat(out)
end

-- Scenario x runtime: one row per scenario, one column per runtime.
local function matrix_section(matrix)
  local out = { "\n## Scenario x runtime\n\n| Scenario |" }
  local rule = { "|---|" }
  for _, rt in ipairs(matrix.runtimes) do
    out[#out + 1] = (" `%s` |"):format(cell(rt))
    rule[#rule + 1] = "---|"
  end
  out[#out + 1] = "\n" .. table.concat(rule) .. "\n"
  for _, row in ipairs(matrix.rows) do
    out[#out + 1] = ("| `%s` |"):format(cell(row.id))
    for _, rt in ipairs(matrix.runtimes) do
      out[#out + 1] = (" %s |"):format(ICONS[row.cells[rt]] or "-")
    end
    out[#out + 1] = "\n"
  end
  return table.concat(out)
end

function M.render(run)
  local s = run.summary
  local verdict = (s.fail == 0 and s.error == 0) and "The sandbox held in every selected scenario."
    or "At least one scenario failed or could not run: see below."
  local out = {
    "# sandprobe validation report\n\n",
    ("- Tool: %s %s\n%s- Started: %s\n- Duration: %.2f s\n- Result: %d passed, %d failed, %d errors, %d skipped (of %d)\n\n%s\n\n"):format(
      run.tool.name, run.tool.version, target_lines(run), run.started, run.duration_s, s.pass, s.fail, s.error, s.skip, s.total, verdict),
    "| Status | Scenario | Pack | Title | Time (s) |\n|---|---|---|---|---:|\n",
  }
  for _, r in ipairs(run.results) do
    out[#out + 1] = ("| %s | %s | %s | %s | %.2f |\n"):format(
      ICONS[r.status], code(r.id), cell(r.pack), cell(r.title), r.duration_s or 0)
  end
  local matrix = util.matrix(run)
  local problems = {}
  for _, r in ipairs(run.results) do
    if r.status == "fail" or r.status == "error" then problems[#problems + 1] = details(r) end
  end
  if #problems > 0 then
    out[#out + 1] = "\n## Failures and errors\n" .. table.concat(problems)
  end
  if matrix then out[#out + 1] = matrix_section(matrix) end
  return table.concat(out)
end

return M
