-- The runner (lua/sandprobe/runner.lua): planning a selection and running it
-- in worker states, with the summary and exit status a command reports.
local T = require("sandprobe.testing")
local runner = require("sandprobe.runner")

local function ids(entries)
  local out = {}
  for _, e in ipairs(entries) do out[#out + 1] = e.id end
  table.sort(out)
  return table.concat(out, " ")
end

-- A configuration error: a table with a one-line message (cli.lua turns it
-- into exit status 2), not a crash with a traceback.
local function is_config_error(err)
  return type(err) == "table" and type(err.message) == "string"
end

T.test("plan picks by selection across the packs", function()
  local chosen, packs_by_name = runner.plan({ "selftest.status.pass", "selftest.status.skip" })
  T.eq(ids(chosen), "selftest.status.pass selftest.status.skip")
  T.ok(packs_by_name.selftest and packs_by_name.seed, "every pack found is returned")
  T.eq(#runner.plan({ "no.such.scenario" }), 0)
end)

T.test("a bad --pack-path is a configuration error", function()
  local ok, err = pcall(runner.plan, {}, { "/nonexistent/sandprobe-packs" })
  T.ok(not ok)
  T.ok(is_config_error(err), "exit status 2, not a crash")
  T.contains(err.message, "is not a readable folder")
end)

T.test("execute runs in workers and summarises; exit status follows failures", function()
  local chosen, packs_by_name = runner.plan({ "selftest.status.pass", "selftest.status.skip",
                                              "selftest.status.fail_check" })
  local seen = 0
  local run = runner.execute(chosen, packs_by_name, { jobs = 2, on_result = function() seen = seen + 1 end })
  T.eq(seen, 3)
  T.eq(run.schema, 1)
  T.eq(run.summary.total, 3)
  T.eq(run.summary.pass, 1)
  T.eq(run.summary.skip, 1)
  T.eq(run.summary.fail, 1)
  T.ok(run.started:match("^%d%d%d%d%-%d%d%-%d%dT"), "started is an RFC 3339 time")
  T.eq(runner.exit_status(run), 1)
  local passing = runner.execute(runner.plan({ "selftest.status.pass" }), packs_by_name, {})
  T.eq(runner.exit_status(passing), 0)
end)

T.test("--set needs key=value and --trust a known pack", function()
  local chosen, packs_by_name = runner.plan({ "selftest.status.pass" })
  local ok, err = pcall(runner.execute, chosen, packs_by_name, { set = { "novalue" } })
  T.ok(not ok and is_config_error(err))
  T.contains(err.message, "--set needs key=value")
  ok, err = pcall(runner.execute, chosen, packs_by_name, { trust = { "nopack" } })
  T.ok(not ok and is_config_error(err))
  T.contains(err.message, "--trust: no pack named 'nopack'")
end)
