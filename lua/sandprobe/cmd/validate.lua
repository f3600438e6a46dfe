-- `sandprobe validate FILE... [--format text|json|sarif] [--policy FILE]`:
-- the Layer 1 static validator on Python files. Exit 0 when every file is
-- accepted, 1 when any is rejected, 2 on usage errors (missing file, bad
-- policy). `--bench` measures the validator's speed instead.
local args = require("sandprobe.args")
local core = require("sandprobe.core")
local read_file = require("sandprobe.files").read_file
local json = require("json")
local reports = require("sandprobe.reports")
local uri = require("uri")
local validator = require("sandprobe.validator")

-- Its choices are the registered validation formats (below).
local FORMAT_OPTION = { name = "format", arg = "FMT", default = "text", help = "output format" }

local M = {
  summary = "check Python files against the Layer 1 static policy",
  usage = [[Usage: sandprobe validate FILE... [--format text|json|sarif] [--policy FILE]
       sandprobe validate --bench [FILE...]

Lexes each FILE with the strict Python lexer and checks its tokens against
the policy (default: lua/sandprobe/policy/default.lua). Exit status 0 when
every file is accepted, 1 when any is rejected, 2 on usage errors.
With --bench, reports the validator's throughput on about 1 MB of source
(the FILEs repeated, or a built-in sample strategy), alone and with the
diversity fingerprint sandbox.run takes from the same lexer run.]],
  options = {
    FORMAT_OPTION,
    { name = "policy", arg = "FILE", help = "policy file to use instead of the default" },
    { name = "bench", help = "measure throughput (MB/s) instead of validating" },
  },
}

local SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

local function sorted_rule_ids()
  local ids = {}
  for id in pairs(validator.RULES) do ids[#ids + 1] = id end
  table.sort(ids)
  return ids
end

-- ---- output formats ------------------------------------------------------------

local function write_text(results, out)
  local accepted, rejected = 0, 0
  for _, r in ipairs(results) do
    for _, f in ipairs(r.findings) do
      out:write(("%s:%d:%d: %s: %s\n"):format(r.path, f.line, f.col, f.rule, f.message))
    end
    if r.accepted then
      accepted = accepted + 1
      out:write(r.path, ": accepted\n")
    else
      rejected = rejected + 1
      out:write(("%s: rejected (%d finding%s)\n"):format(r.path, #r.findings,
        #r.findings == 1 and "" or "s"))
    end
  end
  out:write(("%d accepted, %d rejected\n"):format(accepted, rejected))
end

local function write_json(results, out)
  local files, accepted = {}, 0
  for _, r in ipairs(results) do
    if r.accepted then accepted = accepted + 1 end
    files[#files + 1] = { path = r.path, accepted = r.accepted, findings = json.array(r.findings) }
  end
  out:write(json.encode({
    files = json.array(files), accepted = accepted, rejected = #results - accepted,
  }, { pretty = true }), "\n")
end

-- SARIF artifact locations: an absolute path as its file:// URI; a relative
-- one as a relative reference against %SRCROOT%, the working directory
-- (run.originalUriBaseIds). Percent-encoding is libcurl's (engine/uri.c).
local SRCROOT = "%SRCROOT%"

local function artifact_location(path)
  if path:sub(1, 1) == "/" then return { uri = uri.from_path(path) } end
  return { uri = uri.from_path(path), uriBaseId = SRCROOT }
end

local function source_root()
  local cwd = core.realpath(".") or "/"
  return { uri = uri.from_path((cwd:gsub("/?$", "/"))) }
end

local function sarif_results(results, rule_index)
  local out = {}
  for _, r in ipairs(results) do
    for _, f in ipairs(r.findings) do
      out[#out + 1] = {
        ruleId = f.rule,
        ruleIndex = rule_index[f.rule],
        level = "error",
        message = { text = f.message },
        locations = json.array({ {
          physicalLocation = {
            artifactLocation = artifact_location(r.path),
            region = { startLine = math.max(f.line, 1), startColumn = math.max(f.col, 1) },
          },
        } }),
      }
    end
  end
  return json.array(out)
end

local function write_sarif(results, out)
  local rules, rule_index = {}, {}
  for i, id in ipairs(sorted_rule_ids()) do
    rules[i] = {
      id = id,
      shortDescription = { text = validator.RULES[id] },
      defaultConfiguration = { level = "error" },
    }
    rule_index[id] = i - 1
  end
  local log = {
    ["$schema"] = SARIF_SCHEMA,
    version = "2.1.0",
    runs = json.array({ {
      tool = { driver = {
        name = "sandprobe-validate",
        version = core.version,
        rules = json.array(rules),
      } },
      columnKind = "unicodeCodePoints",
      originalUriBaseIds = { [SRCROOT] = source_root() },
      results = sarif_results(results, rule_index),
    } }),
  }
  out:write(json.encode(log, { pretty = true }), "\n")
end

-- The validation formats (reports.lua); --format offers them in this order.
FORMAT_OPTION.choices = reports.register_all("validation",
  { { "text", write_text }, { "json", write_json }, { "sarif", write_sarif } })


-- ---- benchmark ----------------------------------------------------------------------

local SAMPLE = [[
import math
import statistics
from dataclasses import dataclass, field
from typing import List, Optional


@dataclass
class Position:
    symbol: str
    quantity: float = 0.0
    entry: float = 0.0
    history: List[float] = field(default_factory=list)

    @property
    def exposure(self) -> float:
        return self.quantity * self.entry


class MovingAverageCross:
    """Goes long when the fast average crosses above the slow one."""

    def __init__(self, fast: int = 5, slow: int = 20):
        self.fast = fast
        self.slow = slow
        self.prices: List[float] = []
        self._last_signal: Optional[int] = None

    def average(self, n: int) -> float:
        window = self.prices[-n:]
        return sum(window) / len(window) if window else math.nan

    def on_price(self, price: float) -> int:
        self.prices.append(price)
        if len(self.prices) < self.slow:
            return 0
        signal = 1 if self.average(self.fast) > self.average(self.slow) else -1
        changed = signal != self._last_signal
        self._last_signal = signal
        return signal if changed else 0


def returns(prices):
    for a, b in zip(prices, prices[1:]):
        yield (b - a) / a


def sharpe(prices, rf=0.0):
    r = [x - rf for x in returns(prices)]
    sd = statistics.stdev(r) if len(r) > 1 else 0.0
    return statistics.mean(r) / sd * math.sqrt(252) if sd else 0.0


if __name__ == "__main__":
    strategy = MovingAverageCross()
    prices = [100 + 10 * math.sin(i / 7) for i in range(500)]
    signals = {i: s for i, s in enumerate(map(strategy.on_price, prices)) if s}
    print(f"signals: {len(signals)}, sharpe: {sharpe(prices):.3f}")
    print("{} trades at {:.2f}".format(len(signals), prices[-1]))
]]

-- Times are CPU seconds (os.clock), which a loaded shared machine distorts
-- less than wall-clock time.
-- About `target` bytes of source made of whole copies of `unit`.
local function repeat_to(unit, target)
  if not unit:match("\n$") then unit = unit .. "\n" end
  return unit:rep(math.max(1, target // #unit))
end

local function median(values)
  local sorted = table.move(values, 1, #values, 1, {})
  table.sort(sorted)
  local half = #sorted // 2
  return #sorted % 2 == 1 and sorted[half + 1] or (sorted[half] + sorted[half + 1]) / 2
end

local function time_per_run(fn, source, runs)
  fn(source) -- warm-up
  local start = os.clock()
  for _ = 1, runs do fn(source) end
  return (os.clock() - start) / runs
end

-- CPU seconds per run of CPython's own ast.parse on the same source (the
-- baseline measured in the same run), or nil and why when python3 cannot.
local AST_RUNS = 3
local AST_SCRIPT = "import ast, sys, time; src = open(sys.argv[1], 'rb').read(); ast.parse(src); "
  .. "t = time.process_time(); [ast.parse(src) for _ in range(int(sys.argv[2]))]; "
  .. "print((time.process_time() - t) / int(sys.argv[2]))"

local function ast_parse_seconds(source)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(source)
  f:close()
  local p = io.popen(("python3 -c %q %s %d 2>&1"):format(AST_SCRIPT, path, AST_RUNS))
  local out = p and p:read("a") or ""
  if p then p:close() end
  os.remove(path)
  local seconds = tonumber(out:match("^%s*([%d.eE+-]+)%s*$"))
  if not seconds then return nil, (out:gsub("\n.*", "")) end
  return seconds
end

local function bench(files)
  local parts = {}
  for _, path in ipairs(files) do
    parts[#parts + 1] = assert(read_file(path))
  end
  local unit = #parts > 0 and table.concat(parts, "\n") or SAMPLE
  local source = repeat_to(unit, 1000 * 1000)
  local mb = #source / (1024 * 1024)
  local pywalk = require("pywalk")
  local verdict = validator.check(source)
  local runs = 20
  local lex = time_per_run(function(s)
    local walk <close> = pywalk.lex(s) -- nil when the lexer refuses: timed all the same
  end, source, runs)
  local full = time_per_run(validator.check, source, runs)
  -- What sandbox.run pays per program: validation and the diversity
  -- fingerprint from the same lexer run (docs/diversity.md), against the
  -- validator alone. The two alternate, run by run, and each figure is the
  -- median of its runs and the added time the median of the pairs' ratios,
  -- so that a load that comes and goes on the machine falls on both alike
  -- and a pair it hit hard does not move the figure.
  local FINGERPRINT = { fingerprint = true }
  local function with_fingerprint(s) validator.check(s, nil, FINGERPRINT) end
  local alone_runs, with_runs, ratios = {}, {}, {}
  for i = 1, 2 * runs do
    alone_runs[i] = time_per_run(validator.check, source, 1)
    with_runs[i] = time_per_run(with_fingerprint, source, 1)
    ratios[i] = with_runs[i] / alone_runs[i]
  end
  local alone, with_diversity, ratio = median(alone_runs), median(with_runs), median(ratios)
  io.stdout:write(("source: %d bytes (%s), %s\n"):format(#source,
    #parts > 0 and (#files .. " file(s) repeated") or "built-in sample repeated",
    verdict.accepted and "accepted" or "rejected"))
  io.stdout:write(("lexer, tokens kept in C (pywalk.lex): %7.2f ms per MB  %8.1f MB/s\n"):format(lex * 1000 / mb, mb / lex))
  io.stdout:write(("lexer + policy (validator.check):     %7.2f ms per MB  %8.1f MB/s\n"):format(full * 1000 / mb, mb / full))
  io.stdout:write(("validator alone (alternating):        %7.2f ms per MB  %8.1f MB/s\n"):format(alone * 1000 / mb, mb / alone))
  io.stdout:write(("validator + diversity fingerprint:    %7.2f ms per MB  %8.1f MB/s  (%+.1f %% time, median of %d pairs)\n"):format(
    with_diversity * 1000 / mb, mb / with_diversity, (ratio - 1) * 100, #ratios))
  local ast, why = ast_parse_seconds(source)
  if ast then
    io.stdout:write(("CPython ast.parse (baseline):         %7.2f ms per MB  %8.1f MB/s\n"):format(ast * 1000 / mb, mb / ast))
    io.stdout:write(("validator.check is %.1fx ast.parse\n"):format(ast / full))
  else
    io.stdout:write("CPython ast.parse (baseline): not measured: ", why, "\n")
  end
  return 0
end

-- ---- the command -------------------------------------------------------------------

function M.run(argv)
  local opts, files = args.parse(argv, M.options)
  if opts.bench then return bench(files) end
  if #files == 0 then args.usage_error("no file given") end
  local policy
  if opts.policy then
    local err
    policy, err = validator.load_policy(opts.policy)
    if not policy then
      -- One line: the file's problem is not a usage problem.
      io.stderr:write("sandprobe validate: bad policy: ", err, "\n")
      return 2
    end
  end
  local sources = {}
  for i, path in ipairs(files) do
    local text, err = read_file(path)
    if not text then args.usage_error(err) end
    sources[i] = text
  end
  local results, all_accepted = {}, true
  for i, path in ipairs(files) do
    local r = validator.check(sources[i], policy)
    results[i] = { path = path, accepted = r.accepted, findings = r.findings }
    all_accepted = all_accepted and r.accepted
  end
  reports.write("validation", opts.format, results, io.stdout)
  return all_accepted and 0 or 1
end

return M
