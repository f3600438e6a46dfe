-- Output formats (lua/sandprobe/reports.lua): discovery of the run formats,
-- registration of a command's own, and each run writer on a small plain run
-- (test_reports.lua puts them under hostile bytes).
local T = require("sandprobe.testing")
local json = require("json")
local reports = require("sandprobe.reports")

local function small_run()
  local results = {
    { id = "p.a.ok", pack = "p", title = "passes", tags = { "quick" }, status = "pass",
      duration_s = 0.5, evidence = {} },
    { id = "p.b.bad", pack = "p", title = "fails <&>", tags = {}, status = "fail",
      duration_s = 0.25, message = "expected 1, got 2", evidence = { got = 2 } },
    { id = "q.c.skip", pack = "q", title = "skipped", tags = {}, status = "skip",
      duration_s = 0, message = "needs docker", evidence = {} },
  }
  return {
    schema = 1, tool = { name = "sandprobe", version = "test" }, started = "2026-01-01T00:00:00.000Z",
    duration_s = 0.75, results = results,
    summary = { total = 3, pass = 1, fail = 1, error = 0, skip = 1 },
  }
end

local function render(name, run, opts)
  local buffer = reports.buffer()
  reports.write("run", name, run, buffer, opts)
  return buffer:text()
end

T.test("run formats are discovered from report/*.lua, text first", function()
  T.eq(table.concat(reports.names("run"), ","), "text,html,json,junit,markdown,tap")
end)

T.test("a helper module without render is not a format", function()
  for _, name in ipairs(reports.names("run")) do T.ok(name ~= "util", "util is not a format") end
end)

T.test("json: the run as schema 1", function()
  local doc = assert(json.decode(render("json", small_run())))
  T.eq(doc.schema, 1)
  T.eq(#doc.results, 3)
  T.eq(doc.results[2].status, "fail")
  T.eq(doc.results[2].message, "expected 1, got 2")
  T.eq(doc.summary.fail, 1)
end)

-- What each text-like format must show of the small run.
local EXPECTED = {
  junit = { '<testsuites name="sandprobe" tests="3" failures="1" errors="0"',
            'name="p"', 'name="q"', "<failure", "<skipped" },
  tap = { "TAP version 13\n1..3\n", "ok 1 - p.a.ok - passes\n", "not ok 2 - p.b.bad",
          "ok 3 - q.c.skip - skipped # SKIP needs docker\n" },
  markdown = { "p.b.bad", "expected 1, got 2" },
  text = { "3 scenarios: 1 passed, 1 failed, 0 errors, 1 skipped", "expected 1, got 2" },
}

for format, needles in pairs(EXPECTED) do
  T.test(format .. ": shows the run", function()
    local out = render(format, small_run(), { colour = false })
    for _, needle in ipairs(needles) do T.contains(out, needle, format) end
  end)
end

T.test("junit: markup in a title is escaped", function()
  T.ok(not render("junit", small_run()):find("fails <&>", 1, true))
end)

T.test("commands register writers for their own kinds", function()
  local seen
  reports.register("test_kind", "plain", function(doc, out) seen = doc; out:write("plain:", doc.n, "\n") end)
  reports.register("test_kind", "other", function(_, out) out:write("other") end)
  T.eq(table.concat(reports.names("test_kind"), ","), "plain,other")
  local buffer = reports.buffer()
  reports.write("test_kind", "plain", { n = 7 }, buffer)
  T.eq(buffer:text(), "plain:7\n")
  T.eq(seen.n, 7)
  T.raises(function() reports.write("test_kind", "missing", {}, buffer) end, "no test_kind format 'missing'")
end)

T.test("the commands' kinds are registered when their command loads", function()
  require("sandprobe.cmd.validate")
  require("sandprobe.cmd.doctor")
  require("sandprobe.cmd.list")
  T.eq(table.concat(reports.names("validation"), ","), "text,json,sarif")
  T.eq(table.concat(reports.names("doctor"), ","), "text,json,html")
  T.eq(table.concat(reports.names("list"), ","), "text,json")
end)
