-- JUnit XML, the dialect Jenkins, GitLab and GitHub test reporters accept:
-- one <testsuite> per pack (per runtime when a run went through several
-- runtimes: "runtime runsc"), <failure>/<error>/<skipped> per case, the
-- evidence in <system-out>.
local util = require("sandprobe.report.util")

local M = {}

-- XML 1.0 forbids most control characters even escaped; they are replaced.
local function xml_escape(s)
  s = tostring(s or "")
  s = s:gsub("[%z\1-\8\11\12\14-\31]", "?")
  return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&apos;" }))
end

local function evidence_block(r)
  local lines = {}
  for _, k in ipairs(util.sorted_keys(r.evidence)) do
    lines[#lines + 1] = k .. ": " .. util.evidence_text(r.evidence[k])
  end
  for _, l in ipairs(r.log or {}) do lines[#lines + 1] = "log: " .. l end
  if r.remediation then lines[#lines + 1] = "remediation: " .. r.remediation end
  return table.concat(lines, "\n")
end

local function testcase(r)
  local out = { ('    <testcase classname="%s" name="%s" time="%.3f">\n'):format(
    xml_escape(r.pack), xml_escape(r.id), r.duration_s or 0) }
  local message = xml_escape(r.message or "")
  if r.status == "fail" then
    out[#out + 1] = ('      <failure message="%s" type="check">%s</failure>\n'):format(message, message)
  elseif r.status == "error" then
    out[#out + 1] = ('      <error message="%s" type="error">%s</error>\n'):format(message, message)
  elseif r.status == "skip" then
    out[#out + 1] = ('      <skipped message="%s"/>\n'):format(message)
  end
  local evidence = evidence_block(r)
  if evidence ~= "" then
    out[#out + 1] = ("      <system-out>%s</system-out>\n"):format(xml_escape(evidence))
  end
  out[#out + 1] = "    </testcase>\n"
  return table.concat(out)
end

local function testsuite(group, timestamp)
  local rs = group.results
  local out = { ('  <testsuite name="%s" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f" timestamp="%s">\n'):format(
    xml_escape(group.name), #rs, util.count(rs, "fail"), util.count(rs, "error"),
    util.count(rs, "skip"), util.total_duration(rs), xml_escape(timestamp)) }
  for _, r in ipairs(rs) do out[#out + 1] = testcase(r) end
  out[#out + 1] = "  </testsuite>\n"
  return table.concat(out)
end

function M.render(run)
  local s = run.summary
  local out = {
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    ('<testsuites name="sandprobe" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f">\n'):format(
      s.total, s.fail, s.error, s.skip, run.duration_s),
  }
  local groups = util.matrix(run) and util.by_runtime(run.results) or util.by_pack(run.results)
  for _, g in ipairs(groups) do
    out[#out + 1] = testsuite(g, run.started:gsub("%.%d+Z$", ""))
  end
  out[#out + 1] = "</testsuites>\n"
  return table.concat(out)
end

return M
