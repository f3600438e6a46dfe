-- Text report: one line per scenario, then a summary with the evidence of
-- every failure and error. Colour on a terminal unless NO_COLOR is set.
--
-- Nothing from a scenario or a program reaches the terminal as a control:
-- every text is shown through util.visible (ESC as "␛", CR as "␍", ill-formed
-- UTF-8 as U+FFFD), and a title, id or skip reason stays on its line.
local util = require("sandprobe.report.util")

local M = {}

local COLOURS = { pass = "32", fail = "31", error = "35", skip = "33" }
local LABELS = { pass = "PASS", fail = "FAIL", error = "ERROR", skip = "SKIP" }

function M.use_colour(is_tty)
  local no_colour = os.getenv("NO_COLOR")
  return is_tty and (no_colour == nil or no_colour == "")
end

-- One line of text from a scenario.
local function inline(s)
  return (util.visible(s):gsub("[\n\t]", " "))
end

local function label(status, colour)
  local text = ("%-5s"):format(LABELS[status] or status)
  if colour then return ("\27[%sm%s\27[0m"):format(COLOURS[status] or "0", text) end
  return text
end

-- The line for one finished scenario (with its runtime when a run goes
-- through several).
function M.line(r, colour, with_runtime)
  local where = with_runtime and r.runtime and ("[%s] "):format(inline(r.runtime)) or ""
  local line = ("%s %s%s  %s (%.2fs)"):format(label(r.status, colour), where, inline(r.id), inline(r.title), r.duration_s or 0)
  if r.status == "skip" and r.message then line = line .. " - " .. inline(r.message) end
  return line .. "\n"
end

local function indent(text, prefix)
  return prefix .. util.visible(text):gsub("\n", "\n" .. prefix)
end

local function describe_problem(r, colour, debug, with_runtime)
  local where = with_runtime and r.runtime and (", runtime " .. inline(r.runtime)) or ""
  local out = { ("\n%s %s (%s%s)\n"):format(label(r.status, colour), inline(r.id), inline(r.file or r.pack), where) }
  if r.message then out[#out + 1] = indent(r.message, "    ") .. "\n" end
  for _, k in ipairs(util.sorted_keys(r.evidence)) do
    out[#out + 1] = ("    %s: %s\n"):format(inline(k), indent(util.evidence_text(r.evidence[k]), "      "):gsub("^%s+", ""))
  end
  if r.log and #r.log > 0 then
    out[#out + 1] = "    log:\n" .. indent(table.concat(r.log, "\n"), "      ") .. "\n"
  end
  if r.remediation then out[#out + 1] = "    remediation: " .. inline(r.remediation) .. "\n" end
  if debug and r.traceback then out[#out + 1] = indent(r.traceback, "    ") .. "\n" end
  return table.concat(out)
end

-- The scenario x runtime matrix: one row per scenario, one column per runtime.
function M.matrix_table(matrix, colour)
  local width = 8
  for _, row in ipairs(matrix.rows) do width = math.max(width, utf8.len(inline(row.id)) or #row.id) end
  local widths = {}
  local header = { ("\n%-" .. width .. "s"):format("scenario") }
  for i, rt in ipairs(matrix.runtimes) do
    widths[i] = math.max(#inline(rt), 5)
    header[#header + 1] = ("  %-" .. widths[i] .. "s"):format(inline(rt))
  end
  local out = { table.concat(header), "\n" }
  for _, row in ipairs(matrix.rows) do
    local id = inline(row.id)
    out[#out + 1] = id .. (" "):rep(width - (utf8.len(id) or #id))
    for i, rt in ipairs(matrix.runtimes) do
      local status = row.cells[rt]
      local cell = status and label(status, colour) or "-    "
      out[#out + 1] = "  " .. cell .. (" "):rep(widths[i] - 5)
    end
    out[#out + 1] = "\n"
  end
  return table.concat(out)
end

-- The whole report. opts: colour, lines (include per-scenario lines; false
-- when they were already shown as progress), debug.
function M.render(run, opts)
  opts = opts or {}
  local out = {}
  local matrix = util.matrix(run)
  if opts.lines ~= false then
    for _, r in ipairs(run.results) do out[#out + 1] = M.line(r, opts.colour, matrix ~= nil) end
  end
  for _, r in ipairs(run.results) do
    if r.status == "fail" or r.status == "error" then
      out[#out + 1] = describe_problem(r, opts.colour, opts.debug, matrix ~= nil)
    end
  end
  local s = run.summary
  local what = matrix and ("%d results (%d scenarios x %d runtimes)"):format(s.total, #matrix.rows, #matrix.runtimes)
    or ("%d scenarios"):format(s.total)
  out[#out + 1] = ("\n%s: %d passed, %d failed, %d errors, %d skipped in %.2fs\n"):format(
    what, s.pass, s.fail, s.error, s.skip, run.duration_s)
  if matrix then out[#out + 1] = M.matrix_table(matrix, opts.colour) end
  return table.concat(out)
end

return M
