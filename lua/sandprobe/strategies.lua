-- A generator of Python "strategies" for the generate -> validate -> execute
-- loop: mostly valid programs with varied parameters (whose output is known
-- in advance, computed here in Lua), some that fail at run time, and,
-- slipped in among them, dangerous ones Layer 1 must refuse.
--
--   local strategies = require("sandprobe.strategies")
--   for _, s in ipairs(strategies.generate { seed = 7, count = 10 }) do
--     -- s.index, s.kind ("valid" | "failing" | "dangerous"), s.name, s.code,
--     -- s.expect ("ok" | "error" | "rejected": the sandbox outcome), s.stdout (valid ones)
--   end
--   strategies.repeating { seed = 7, count = 20 }  -- one program, renamed every time
--
-- Deterministic for a seed (its own generator, not math.random), so a failed
-- run can be replayed.
local M = {}

-- A small linear congruential generator (Knuth's MMIX constants).
local function rng(seed)
  local state = seed & 0x7fffffffffffffff
  return function(lo, hi)
    state = (state * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff
    return lo + (state >> 33) % (hi - lo + 1)
  end
end

local function count_primes(n)
  local count = 0
  for k = 2, n do
    local prime = true
    for d = 2, math.floor(math.sqrt(k)) do
      if k % d == 0 then prime = false break end
    end
    if prime then count = count + 1 end
  end
  return count
end

-- Valid strategies: name, parameter generator, code, expected stdout.
local VALID = {
  {
    name = "moving-sum",
    params = function(r) return { window = r(2, 6), n = r(20, 60), step = r(1, 9) } end,
    code = function(p) return ([[
from collections import deque

def moving_sums(values, window):
    buf = deque(maxlen=window)
    out = []
    for v in values:
        buf.append(v)
        if len(buf) == window:
            out.append(sum(buf))
    return out

if __name__ == "__main__":
    prices = [(i * %d) %% 97 for i in range(%d)]
    print(max(moving_sums(prices, %d)))
]]):format(p.step, p.n, p.window) end,
    stdout = function(p)
      local prices, best = {}, nil
      for i = 0, p.n - 1 do prices[#prices + 1] = (i * p.step) % 97 end
      for i = p.window, #prices do
        local s = 0
        for j = i - p.window + 1, i do s = s + prices[j] end
        if best == nil or s > best then best = s end
      end
      return tostring(best) .. "\n"
    end,
  },
  {
    name = "prime-count",
    params = function(r) return { n = r(50, 400) } end,
    code = function(p) return ([[
import math

def is_prime(k):
    if k < 2:
        return False
    for d in range(2, math.isqrt(k) + 1):
        if k %% d == 0:
            return False
    return True

print(sum(1 for k in range(%d + 1) if is_prime(k)))
]]):format(p.n) end,
    stdout = function(p) return tostring(count_primes(p.n)) .. "\n" end,
  },
  {
    name = "position-sizing",
    params = function(r) return { capital = r(1000, 9000), risk = r(1, 5), stop = r(2, 20) } end,
    code = function(p) return ([[
from dataclasses import dataclass

@dataclass
class Position:
    capital: int
    risk_percent: int
    stop_distance: int

    def size(self):
        return (self.capital * self.risk_percent // 100) // self.stop_distance

print(Position(%d, %d, %d).size())
]]):format(p.capital, p.risk, p.stop) end,
    stdout = function(p) return tostring((p.capital * p.risk // 100) // p.stop) .. "\n" end,
  },
}

-- Valid to Layer 1, failing at run time (outcome "error", exit code 1).
local FAILING = {
  { name = "zero-division", code = "def ratio(a, b):\n    return a / b\n\nprint(ratio(%d, 0))\n" },
  { name = "index-error", code = "values = list(range(%d))\nprint(values[len(values) + 1])\n" },
  { name = "key-error", code = "table = {\"a\": %d}\nprint(table[\"missing\"])\n" },
}

-- Escape attempts Layer 1 must refuse; each names the rule expected among the findings.
local DANGEROUS = {
  { name = "os-system", rule = "policy.import", code = "import os\nos.system('cat /etc/passwd')\n" },
  { name = "subclasses-walk", rule = "policy.dunder",
    code = "for c in ().__class__.__base__.__subclasses__():\n    print(c)\n" },
  { name = "eval", rule = "policy.builtin", code = "eval(\"__import__('os').getcwd()\")\n" },
  { name = "open-file", rule = "policy.builtin", code = "print(open('/etc/shadow').read())\n" },
  { name = "socket", rule = "policy.import", code = "import socket\nsocket.create_connection(('8.8.8.8', 53))\n" },
  { name = "getattr-builtins", rule = "policy.builtin", code = "f = getattr(print, '__self__')\nprint(f)\n" },
  { name = "subprocess", rule = "policy.import", code = "import subprocess\nsubprocess.run(['id'])\n" },
}

local function pick(r, list) return list[r(1, #list)] end

-- The i-th strategy: every third one (from the second) is dangerous, every
-- fifth failing, the rest valid; parameters vary with the seed.
local function make(r, i)
  if i % 3 == 2 then
    local d = pick(r, DANGEROUS)
    return { kind = "dangerous", name = d.name, code = d.code, expect = "rejected", rule = d.rule }
  elseif i % 5 == 0 then
    local f = pick(r, FAILING)
    return { kind = "failing", name = f.name, code = f.code:format(r(1, 99)), expect = "error" }
  end
  local v = pick(r, VALID)
  local p = v.params(r)
  return { kind = "valid", name = v.name, code = v.code(p), expect = "ok", stdout = v.stdout(p), params = p }
end

-- opts: seed (integer, default 1), count (default 10).
function M.generate(opts)
  opts = opts or {}
  local r = rng(opts.seed or 1)
  local list = {}
  for i = 1, opts.count or 10 do
    local s = make(r, i)
    s.index = i
    list[i] = s
  end
  return list
end

-- A generator stuck on one program: the same moving sum every time, with
-- every name changed and other constants, as a collapsed generator that only
-- renames its variables would write. For the diversity monitor's scenarios.
local SYLLABLES = { "ka", "lo", "mi", "ne", "po", "ru", "si", "ta", "vu", "ze" }

local function fresh_name(r, used)
  while true do
    local name = SYLLABLES[r(1, #SYLLABLES)] .. SYLLABLES[r(1, #SYLLABLES)] .. "_" .. r(1, 999)
    if not used[name] then used[name] = true return name end
  end
end

local REPEATED = [[
def %s(%s, %s):
    %s = []
    for %s in range(len(%s) - %s + 1):
        %s.append(sum(%s[%s:%s + %s]))
    return %s

%s = list(range(%d))
print(%s(%s, %d)[-1])
]]

-- opts: seed (default 1), count (default 10). Same fields as generate's valid ones.
function M.repeating(opts)
  opts = opts or {}
  local r = rng(opts.seed or 1)
  local list = {}
  for i = 1, opts.count or 10 do
    local used = {}
    local f, xs, n, out, k, data = fresh_name(r, used), fresh_name(r, used), fresh_name(r, used),
      fresh_name(r, used), fresh_name(r, used), fresh_name(r, used)
    local size, width = r(10, 90), r(2, 9)
    local code = REPEATED:format(f, xs, n, out, k, xs, n, out, xs, k, k, n, out, data, size, f, data, width)
    local last = 0
    for v = size - width, size - 1 do last = last + v end
    list[i] = { index = i, kind = "valid", name = "moving-sum-renamed", code = code, expect = "ok",
                stdout = last .. "\n" }
  end
  return list
end

M.VALID, M.FAILING, M.DANGEROUS = VALID, FAILING, DANGEROUS

return M
