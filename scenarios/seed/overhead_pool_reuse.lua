-- Overhead: the warm pool takes container start-up off the run. For a ~1 s
-- program, what creating and starting the container adds is over 5 % cold
-- and under 5 % pooled (measured: acquiring a warm container). The
-- end-to-end figures are noted too: after the program exits the daemon takes
-- tens of milliseconds to report it (its own exit handling), a cost pooling
-- cannot remove; `sandprobe bench` reports it against the host interpreter.
local oh = require("seed_overhead")
local pool = require("sandprobe.pool")

local function pct(part, whole)
  return math.floor(part / whole * 1000) / 10
end

return {
  id = "seed.overhead.pool_reuse",
  title = "overhead: with the warm pool, container start-up adds under 5 % to a ~1 s program",
  tags = { "overhead", "pool", "slow" },
  requires = { "docker" },
  run = function(t)
    local labels = oh.label("pool_reuse")
    local options = { code = oh.ONE_SECOND, validate = false, labels = labels }
    local p <close> = pool.new { size = 1, labels = labels }
    local cold = sandbox.run(options)
    local warm = p:run(options)
    t:check(cold.exit_code == 0 and warm.exit_code == 0, "both runs succeeded")
    t:check(p:stats().served == 1 and p:stats().misses == 0, "the pooled run took a warm container")
    local cold_startup = (cold.durations.create or 0) + (cold.durations.start or 0)
    local warm_startup = warm.durations.acquire or math.huge
    t:note("cold", { startup_s = oh.ms(cold_startup), program_s = oh.ms(cold.durations.run),
                     total_s = oh.ms(cold.durations.total), startup_pct = pct(cold_startup, cold.durations.run),
                     end_to_end_pct = pct(cold.durations.total - cold.durations.run, cold.durations.run) })
    t:note("pooled", { startup_s = oh.ms(warm_startup), program_s = oh.ms(warm.durations.run),
                       total_s = oh.ms(warm.durations.total), startup_pct = pct(warm_startup, warm.durations.run),
                       end_to_end_pct = pct(warm.durations.total - warm.durations.run, warm.durations.run) })
    t:check(cold_startup / cold.durations.run > 0.05, "cold: start-up is over 5 % of the program's time")
    t:check(warm_startup / warm.durations.run < 0.05, "pooled: start-up is under 5 % of the program's time")
  end,
}
