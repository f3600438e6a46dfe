-- Helpers of the seed pack's overhead scenarios (seed.overhead.*): timings,
-- the fields of a result that describe the program (not the run), and a
-- label per scenario so the daemon can be asked about exactly its containers.
local probe = require("seed_probe")
local M = {}

-- The "about one second" program (a sleep: the sandbox's cost is what is
-- measured, not how busy the shared cores are). It imports time, which the
-- default Layer 1 policy refuses, so it runs with validate = false.
M.ONE_SECOND = "import time\ntime.sleep(1)\n"

function M.mean(list)
  local total = 0
  for _, v in ipairs(list) do total = total + v end
  return #list > 0 and total / #list or nil
end

function M.max(list)
  local m
  for _, v in ipairs(list) do if m == nil or v > m then m = v end end
  return m
end

-- Rounded to the millisecond, for readable evidence.
function M.ms(seconds)
  return seconds and math.floor(seconds * 1000 + 0.5) / 1000
end

function M.label(name)
  local value = probe.unique(name)
  return { ["seed.probe"] = value }, "seed.probe=" .. value
end

-- Containers the daemon has with this "k=v" label, all states.
function M.count(selector)
  return #assert(docker.list { labels = { selector } })
end

-- What a result says about the program, leaving out timings and identity.
M.OBSERVABLE = { "exit_code", "stdout", "stderr", "oom_killed", "timed_out", "rejected", "outcome", "error" }

function M.differences(a, b)
  local diff = {}
  for _, k in ipairs(M.OBSERVABLE) do
    if a[k] ~= b[k] then diff[#diff + 1] = k end
  end
  for _, stream in ipairs({ "stdout", "stderr" }) do
    if a.truncated[stream] ~= b.truncated[stream] then diff[#diff + 1] = "truncated." .. stream end
  end
  if #a.findings ~= #b.findings then diff[#diff + 1] = "findings" end
  return diff
end

return M
