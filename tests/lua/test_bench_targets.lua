-- bench targets are read only from runs that all succeeded: a figure made of
-- failures (a daemon gone, say) is no figure, and its target is not met.
local T = require("sandprobe.testing")
local bench = require("sandprobe.bench")

-- A bench record whose figures would all meet their targets.
local function record(errors)
  local ok = { errors = 0 }
  return {
    docker_run = { errors = errors.docker_run or 0 }, cold = ok,
    pooled = { errors = errors.pooled or 0 },
    parallel = { runs = 2, errors = 0, isolated = true, daemon = { errors = errors.daemon or 0 } },
    overhead = { one_second = { pooled_pct = 1, pooled = ok, host_python = ok } },
    ratios = { pooled_speedup_vs_docker_run = 50, cold_vs_docker_run = 0.5,
               parallel_throughput_vs_daemon = 1.2 },
    orphans = 0,
  }
end

local function met(targets)
  local by_name = {}
  for _, t in ipairs(targets) do by_name[t.name:match("^%S+ %S+")] = t.met end
  return by_name
end

T.test("clean runs meet their targets", function()
  for _, t in ipairs(bench.targets(record {})) do T.eq(t.met, true, t.name) end
end)

T.test("failed baseline runs meet no ratio target", function()
  local targets = bench.targets(record { docker_run = 3 })
  local m = met(targets)
  T.eq(m["pooled p50"], false)
  T.eq(m["cold path"], false)
  for _, t in ipairs(targets) do
    if t.name:find("docker run") then T.eq(t.value, nil, t.name) end
  end
end)

T.test("failed pooled runs or daemon baseline meet nothing derived from them", function()
  T.eq(met(bench.targets(record { pooled = 1 }))["pooled p50"], false)
  T.eq(met(bench.targets(record { daemon = 2 }))["parallel throughput"], false)
end)

return T
