-- Every report format under hostile bytes (NUL, invalid UTF-8, terminal
-- escapes, newlines, raw HTML, XML metacharacters, TAP directives), checked
-- by a real parser of the format: strict JSON and the published JSON Schema
-- (python3-jsonschema), xmllint against the JUnit XSD the tests carry,
-- prove for TAP, cmark-gfm for Markdown.
local T = require("sandprobe.testing")
local bytes = require("bytes")
local json = require("json")

local TESTS = assert(os.getenv("SANDPROBE_TESTS"), "SANDPROBE_TESTS is not set")
local SCHEMA = TESTS .. "/../docs/report-schema.json"
local XSD = TESTS .. "/fixtures/junit/junit.xsd"

local HOSTILE = "visible\0HIDDEN \255\254 \27[31mred\27]0;title\7 <b>bold</b> & 'q' \"dq\"\n"
  .. "ok 99 - injected\n# SKIP\r\nnot ok 100\n]]> --> \194\155 \239\191\191 `` ``` | [x](javascript:1)"

local function render(format, run)
  return require("sandprobe.report." .. format).render(run, { colour = false })
end

local function hostile_run()
  local function result(status, i)
    return { id = "evil.case" .. i .. HOSTILE, pack = "evil\0pack", title = HOSTILE, tags = { "t", HOSTILE },
             status = status, duration_s = 0.5, started_s = i * 0.1, message = status ~= "pass" and HOSTILE or nil,
             evidence = { stdout = HOSTILE, [HOSTILE] = HOSTILE, nested = { HOSTILE, { deep = HOSTILE } } },
             log = { HOSTILE }, remediation = HOSTILE }
  end
  local results = { result("pass", 1), result("fail", 2), result("error", 3), result("skip", 4) }
  return { schema = 1, tool = { name = "sandprobe", version = "0.1.0" }, started = "2026-11-30T12:00:00.000Z",
           duration_s = 1.25, results = results,
           summary = { pass = 1, fail = 1, error = 1, skip = 1, total = 4 } }
end

local function write_temp(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

-- Runs a shell command; its output and whether it exited 0.
local function sh(command)
  local p = assert(io.popen(command .. " 2>&1"))
  local out = p:read("a")
  local ok = p:close()
  return out, ok == true
end

local function no_raw_controls(text, what)
  T.ok(bytes.valid_utf8(text), what .. ": valid UTF-8")
  T.ok(not text:find("[%z\1-\8\11-\31\127]"), what .. ": no raw control characters")
end

T.test("JSON: strict parse, the published schema, and every byte recoverable", function()
  local text = render("json", hostile_run())
  no_raw_controls(text:gsub("\n", ""), "json")
  local doc = assert(json.decode(text))
  local r = doc.results[2]
  T.eq(r.title_invalid_utf8, true)
  T.eq(bytes.unbase64(r.title_base64), HOSTILE, "the exact bytes of the title")
  T.eq(bytes.unbase64(r.evidence.stdout_base64), HOSTILE, "the exact bytes of the evidence")
  T.contains(text, [["visible\u0000HIDDEN]], "NUL escaped in the text field")
  T.eq(r.tags[2].invalid_utf8, true)
  T.eq(bytes.unbase64(r.tags[2].base64), HOSTILE)
  local path = write_temp(text)
  local out, ok = sh(("/usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2]), "
    .. "parse_constant=lambda c: sys.exit(\"non-standard constant \" + c)), json.load(open(sys.argv[1])))' %s %s"):format(SCHEMA, path))
  os.remove(path)
  T.ok(ok, "valid against docs/report-schema.json: " .. out)
end)

T.test("JUnit: well-formed, valid against the Surefire-shaped XSD, suites in wall time", function()
  local run = hostile_run()
  local text = render("junit", run)
  T.ok(bytes.valid_utf8(text), "valid UTF-8")
  local path = write_temp(text)
  local out, ok = sh(("xmllint --noout --schema %s %s"):format(XSD, path))
  os.remove(path)
  T.ok(ok, "xmllint --schema: " .. out)
  T.contains(text, "visible\226\144\128HIDDEN", "NUL shown as U+2400")
  T.contains(text, "\226\144\155[31m", "ESC shown as U+241B")
  T.ok(not text:find("<testsuites[^>]*skipped="), "no skipped attribute on <testsuites>")
  -- four results 0.5 s long starting 0.1 s apart: 0.8 s of wall time, not 2 s
  T.contains(text, 'time="0.800" timestamp=', "the suite's wall time")
end)

T.test("JUnit: a report without problems validates too", function()
  local run = hostile_run()
  run.results = { run.results[1] }
  local path = write_temp(render("junit", run))
  local out, ok = sh(("xmllint --noout --schema %s %s"):format(XSD, path))
  os.remove(path)
  T.ok(ok, out)
end)

T.test("TAP: prove reads exactly one test point per scenario", function()
  local text = render("tap", hostile_run())
  local lines = {}
  for line in text:gmatch("[^\n]*") do lines[#lines + 1] = line end
  local points = 0
  for _, line in ipairs(lines) do
    if line:match("^ok ") or line:match("^not ok ") then points = points + 1 end
  end
  T.eq(points, 4, "test points")
  no_raw_controls(text:gsub("\n", ""), "tap")
  local path = write_temp(text)
  local out = sh(("prove -v -e cat %s"):format(path))
  os.remove(path)
  T.ok(not out:find("Bad plan"), "no bad plan: " .. out)
  T.contains(out, "Tests=4", "prove counts 4 tests")
  T.contains(out, "Failed 2/4 subtests", "fail and error are the failures")
end)

T.test("Markdown: no raw HTML reaches the renderer, nothing injected", function()
  local text = render("markdown", hostile_run())
  no_raw_controls(text:gsub("\n", ""), "markdown")
  local path = write_temp(text)
  local html, ok = sh(("cmark-gfm --unsafe -e table %s"):format(path))
  os.remove(path)
  T.ok(ok, "cmark-gfm")
  T.ok(not html:find("<b>", 1, true), "raw <b> did not pass through")
  T.ok(not html:find("<a ", 1, true), "no link injected")
  for tag in html:gmatch("<(/?[%w%-]+)") do
    local name = tag:gsub("^/", "")
    T.ok(({ h1 = 1, h2 = 1, h3 = 1, p = 1, ul = 1, li = 1, table = 1, thead = 1, tbody = 1, tr = 1, th = 1,
            td = 1, pre = 1, code = 1, strong = 1 })[name], "only the report's own elements: " .. tag)
  end
  -- one table row per scenario: the header, the alignment row, 4 results
  local rows = select(2, html:gsub("<tr>", ""))
  T.eq(rows, 5, "table rows (header + 4)")
end)

T.test("HTML: hostile bytes shown as in every other format, parsed by xmllint --html", function()
  local html = require("sandprobe.report.html")
  local page = html.render(hostile_run())
  no_raw_controls(page:gsub("[\n\t]", ""), "html")
  T.contains(page, "\226\144\155[31mred", "ESC visible as U+241B, as the text writer shows it")
  T.contains(page, "visible\226\144\128HIDDEN", "NUL visible as U+2400")
  T.contains(page, "\239\191\189\239\191\189", "ill-formed bytes as U+FFFD")
  T.ok(not page:find("<b>bold", 1, true), "raw <b> did not pass through")
  T.eq(html.escape("a\0b\27\255<&>\"'"), "a\226\144\128b\226\144\155\239\191\189&lt;&amp;&gt;&quot;&#39;")
  T.eq(html.escape(nil), "")
  T.eq(html.escape(html.escape("<x>")), "&amp;lt;x&amp;gt;", "escaping twice shows the first escape")
  local path = write_temp(page)
  local tags, ok = sh(("xmllint --html --noout --nonet --xpath 'count(//script|//img|//iframe|//a|//@*[starts-with(name(), \"on\")])' %s"):format(path))
  os.remove(path)
  T.ok(ok, "xmllint parsed the page: " .. tags)
  T.eq(tags:match("(%d+)%s*$"), "0", "no script, img, iframe, link or event handler")
end)

T.test("Text: control characters shown, never sent to the terminal", function()
  local text = render("text", hostile_run())
  no_raw_controls(text:gsub("\n", ""), "text")
  T.contains(text, "\226\144\155[31mred", "ESC visible as U+241B")
  T.contains(text, "visible\226\144\128HIDDEN", "NUL visible as U+2400")
  local lines = 0
  for line in text:gmatch("[^\n]+") do
    if line:match("^PASS ") or line:match("^SKIP ") then lines = lines + 1 end
  end
  T.eq(lines, 2, "one line for the pass and one for the skip")
end)
