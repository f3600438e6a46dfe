-- Soak: pooled runs in one process for $SANDPROBE_SOAK_SECONDS (default 60),
-- each program printing a token of its own. Prints key=value figures for the
-- shell test (tests/integration/test_faults_soak.sh): runs, wrong outputs,
-- RSS and open fds after a warm-up and at the end.
local T = require("sandprobe.testing")
local core = require("sandprobe.core")
local pool = require("sandprobe.pool")

local function rss_kb()
  for line in io.lines("/proc/self/status") do
    local kb = line:match("^VmRSS:%s+(%d+)")
    if kb then return tonumber(kb) end
  end
end

local function open_fds()
  return #assert(core.listdir("/proc/self/fd"))
end

T.test("pooled runs keep RSS and fds flat and every output right", function()
  local seconds = tonumber(os.getenv("SANDPROBE_SOAK_SECONDS") or "60")
  local warmup = 30
  local p <close> = pool.new { size = 3, validate = false }
  local runs, wrong, rss0, fd0 = 0, 0, nil, nil
  local stop = core.monotonic() + seconds
  while core.monotonic() < stop or runs < warmup + 10 do
    runs = runs + 1
    local token = ("soak-%d-%d"):format(runs, math.random(1 << 30))
    local r = p:run { code = ("print(%q)"):format(token), timeout = 20 }
    if r.error or r.exit_code ~= 0 or r.stdout ~= token .. "\n" then
      wrong = wrong + 1
      if wrong <= 3 then print("  wrong: " .. tostring(r.error or r.stdout)) end
    end
    if runs == warmup then
      p:wait() -- no launch or removal in flight: their sockets come and go
      collectgarbage("collect")
      rss0, fd0 = rss_kb(), open_fds()
    end
  end
  p:wait()
  collectgarbage("collect")
  local rss1, fd1 = rss_kb(), open_fds()
  print(("runs=%d wrong=%d rss_warm_kb=%d rss_end_kb=%d fds_warm=%d fds_end=%d")
    :format(runs, wrong, rss0, rss1, fd0, fd1))
  T.eq(wrong, 0)
end)

return T
