-- JUnit XML, the Jenkins/Surefire dialect that Jenkins, GitLab and GitHub
-- test reporters accept (tests/fixtures/junit/junit.xsd is the shape the
-- tests validate every report against): one <testsuite> per pack (per
-- runtime, "runtime runsc", when a run went through several runtimes), its
-- time the wall time its scenarios spanned; <failure>/<error>/<skipped> per case;
-- the evidence in <system-out>.
--
-- Text is made visible first (util.visible): XML 1.0 forbids most control
-- characters even as character references, so they appear as Unicode Control
-- Pictures, ill-formed UTF-8 as U+FFFD (docs/report-schema.md). libxml2's
-- xmlTextWriter is not used: given such bytes it writes them as they are
-- (control characters and ill-formed UTF-8 raw: output xmllint rejects), so
-- the same visible() pass would still be needed first, and after it the
-- entities below are all the escaping that remains; a writer binding would
-- be more code than it replaces.
local util = require("sandprobe.report.util")

local M = {}

-- Line feeds and tabs in attributes are references: a parser would turn the
-- characters themselves into spaces (attribute-value normalisation).
local ENTITIES = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&apos;",
                   ["\n"] = "&#10;", ["\t"] = "&#9;" }

local function xml_text(s)
  return (util.visible(s):gsub("[&<>]", ENTITIES))
end

local function xml_escape(s)
  return (util.visible(s):gsub("[&<>\"'\n\t]", ENTITIES))
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
    out[#out + 1] = ('      <failure message="%s" type="check">%s</failure>\n'):format(message, xml_text(r.message or ""))
  elseif r.status == "error" then
    out[#out + 1] = ('      <error message="%s" type="error">%s</error>\n'):format(message, xml_text(r.message or ""))
  elseif r.status == "skip" then
    out[#out + 1] = ('      <skipped message="%s"/>\n'):format(message)
  end
  local evidence = evidence_block(r)
  if evidence ~= "" then
    out[#out + 1] = ("      <system-out>%s</system-out>\n"):format(xml_text(evidence))
  end
  out[#out + 1] = "    </testcase>\n"
  return table.concat(out)
end

local function testsuite(group, timestamp)
  local rs = group.results
  local out = { ('  <testsuite name="%s" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f" timestamp="%s">\n'):format(
    xml_escape(group.name), #rs, util.count(rs, "fail"), util.count(rs, "error"),
    util.count(rs, "skip"), util.wall_duration(rs), xml_escape(timestamp)) }
  for _, r in ipairs(rs) do out[#out + 1] = testcase(r) end
  out[#out + 1] = "  </testsuite>\n"
  return table.concat(out)
end

function M.render(run)
  local s = run.summary
  local out = {
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    ('<testsuites name="sandprobe" tests="%d" failures="%d" errors="%d" time="%.3f">\n'):format(
      s.total, s.fail, s.error, run.duration_s),
  }
  local groups = util.matrix(run) and util.by_runtime(run.results) or util.by_pack(run.results)
  for _, g in ipairs(groups) do
    out[#out + 1] = testsuite(g, run.started:gsub("%.%d+Z$", ""))
  end
  out[#out + 1] = "</testsuites>\n"
  return table.concat(out)
end

return M
