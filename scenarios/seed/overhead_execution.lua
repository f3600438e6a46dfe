-- Overhead, documented: what the sandbox adds to a trivial and to a ~1 s
-- program, cold (a new container per run) and from the warm pool. The
-- overhead is the end-to-end time of sandbox.run beyond the program's own
-- time in its container (durations.run: from the program's start to its exit
-- as the daemon recorded them). The figures are the evidence; the check is
-- only that every run succeeded and was measured. `sandprobe bench` reports
-- the overhead against the host's own interpreter as well.
local oh = require("seed_overhead")
local pool = require("sandprobe.pool")

local function measure(t, name, run)
  local r = run()
  t:check(r.exit_code == 0 and r.error == nil, name .. " succeeded")
  local total, own = r.durations.total, r.durations.run
  t:check(total ~= nil and own ~= nil and own > 0, name .. " was measured")
  if total and own and own > 0 then
    t:note(name, { total_s = oh.ms(total), program_s = oh.ms(own),
                   overhead_s = oh.ms(total - own), overhead_pct = math.floor((total - own) / own * 1000) / 10 })
  end
end

return {
  id = "seed.overhead.execution",
  title = "overhead: execution overhead of cold and pooled runs is measured and documented",
  tags = { "overhead", "slow" },
  requires = { "docker" },
  run = function(t)
    local labels = oh.label("execution")
    local p <close> = pool.new { size = 1, labels = labels }
    local trivial = { code = "pass\n", labels = labels }
    local long = { code = oh.ONE_SECOND, validate = false, labels = labels }
    measure(t, "cold_trivial", function() return sandbox.run(trivial) end)
    measure(t, "pooled_trivial", function() return p:run(trivial) end)
    p:refill()
    measure(t, "cold_one_second", function() return sandbox.run(long) end)
    measure(t, "pooled_one_second", function() return p:run(long) end)
    t:note("pool", p:stats())
    t:check(p:stats().misses == 0, "the pooled runs were served by warm containers")
  end,
}
