-- Lua-level tests of the Layer 1 validator: the corpora (every bypass
-- refused for its stated reason, every benign strategy accepted), each
-- policy rule on small snippets, the public API and policy loading.
local T = require("sandprobe.testing")
local core = require("sandprobe.core")
local pyscan = require("pyscan")
local pywalk = require("pywalk")
local validator = require("sandprobe.validator")

local TESTS = assert(os.getenv("SANDPROBE_TESTS"), "SANDPROBE_TESTS is not set")

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function corpus(name)
  local dir = TESTS .. "/validator/" .. name
  local files = {}
  for _, file in ipairs(assert(core.listdir(dir))) do
    if file:match("%.py$") then files[#files + 1] = dir .. "/" .. file end
  end
  return files
end

local function rules_of(result)
  local set, list = {}, {}
  for _, f in ipairs(result.findings) do
    set[f.rule] = true
    list[#list + 1] = ("%s@%d:%d"):format(f.rule, f.line, f.col)
  end
  return set, table.concat(list, " ")
end

-- Asserts that `source` is rejected with `rule` among the findings.
local function rejects(source, rule)
  local r = validator.check(source)
  local set, shown = rules_of(r)
  T.eq(r.accepted, false, "accepted: " .. source)
  T.ok(set[rule], ("expected %s for %q, got: %s"):format(rule, source, shown))
end

local function accepts(source)
  local r = validator.check(source)
  local _, shown = rules_of(r)
  T.ok(r.accepted, ("expected acceptance of %q, got: %s"):format(source, shown))
end

-- ---- corpora -------------------------------------------------------------------

T.test("bypass corpus: at least 40 techniques, each refused for its stated rule", function()
  local files = corpus("bypass")
  T.ok(#files >= 40, "only " .. #files .. " bypass files")
  for _, path in ipairs(files) do
    local source = read(path)
    local expect = source:match("# expect: ([%w%.%-]+)")
    T.ok(expect, path .. " has no '# expect: RULE' line")
    T.ok(validator.RULES[expect], path .. ": unknown rule " .. tostring(expect))
    local r = validator.check(source)
    local set, shown = rules_of(r)
    T.eq(r.accepted, false, path .. " was accepted")
    T.ok(set[expect], ("%s: expected %s, got %s"):format(path, expect, shown))
  end
end)

T.test("benign corpus: at least 15 strategies, all accepted", function()
  local files = corpus("benign")
  T.ok(#files >= 15, "only " .. #files .. " benign files")
  for _, path in ipairs(files) do
    local r = validator.check(read(path))
    local _, shown = rules_of(r)
    T.ok(r.accepted, path .. " rejected: " .. shown)
  end
end)

-- ---- policy rules on snippets -----------------------------------------------------

T.test("imports: allowlist, submodules, relative, star, names, aliases", function()
  accepts("import math\nimport statistics as st\nprint(math.pi, st.mean([1]))\n")
  accepts("from collections import (deque,\n    Counter as C)\nprint(deque(), C())\n")
  rejects("import os\n", "policy.import")
  rejects("import math, os\n", "policy.import")
  rejects("import json.decoder\n", "policy.import")
  rejects("from os import path\n", "policy.import")
  rejects("from .. import x\n", "policy.import-relative")
  rejects("from math import *\n", "policy.import-star")
  rejects("from typing import get_type_hints\n", "policy.import-name")
  rejects("from math import sqrt as eval\n", "policy.builtin")
  rejects("import math as __builtins__\n", "policy.dunder")
end)

T.test("'from' outside imports is not an import", function()
  accepts("def g():\n    yield from range(3)\n")
  accepts("try:\n    pass\nexcept ValueError as e:\n    raise RuntimeError('x') from e\n")
end)

T.test("module attributes and modules as values", function()
  accepts("import random\nrandom.seed(1)\nx = random.random()\n")
  rejects("import random\nrandom._os\n", "policy.module-attribute")
  rejects("import json\njson.decoder\n", "policy.module-attribute")
  rejects("import math\nm = math\n", "policy.module-value")
  rejects("import math\nprint(math)\n", "policy.module-value")
  -- an attribute that happens to share a module's name is not the module
  accepts("import math\nclass A:\n    def __init__(self):\n        self.math = 1\n")
end)

T.test("builtins: allowlist and aliasing", function()
  accepts("print(len([1]), sorted({3, 1}), isinstance(1, int))\n")
  for _, name in ipairs({ "eval", "exec", "compile", "getattr", "setattr", "delattr",
    "globals", "locals", "vars", "dir", "open", "input", "breakpoint", "help", "exit", "quit",
    "memoryview", "id" }) do
    rejects(("f = %s\n"):format(name), "policy.builtin")
  end
  -- hasattr and type: one form each, aliasing refused by the form
  rejects("f = hasattr\n", "policy.call")
  rejects("f = type\n", "policy.call")
  for _, name in ipairs({ "OSError", "NameError", "ImportError", "MemoryError", "SystemExit" }) do
    accepts(("try:\n    pass\nexcept %s:\n    pass\n"):format(name))
  end
end)

T.test("restricted callables: the one allowed form of each", function()
  -- functools.wraps: one positional argument
  accepts("import functools\ndef d(f):\n    @functools.wraps(f)\n    def g(*a):\n        return f(*a)\n    return g\n")
  accepts("from functools import wraps\ndef d(f):\n    @wraps(f)\n    def g():\n        return f()\n    return g\n")
  for _, src in ipairs({
    "import functools, random\nfunctools.wraps(random.choice, assigned=(), updated=('__globals__',))(w)\n",
    "from functools import wraps\nwraps(f, (), ('__globals__',))(w)\n",
    "import functools\nw = functools.wraps\n",
    "from functools import wraps\nw = wraps\n",
    "from functools import wraps\n@wraps(f, updated=u)\ndef g(): pass\n",
    "from functools import wraps\nwraps(*args)\n",
    "import functools\nfunctools.partial(functools.wraps, f)\n",
    "def wraps(f): pass\n",
  }) do rejects(src, "policy.call") end
  rejects("from functools import wraps as w\n", "policy.call")
  rejects("import functools\nfunctools.wraps(f).keywords['updated'] = 1\n", "policy.attribute")
  -- dataclass: only as the decorator of a class statement
  accepts("import dataclasses\n@dataclasses.dataclass(frozen=True)\nclass P:\n    x: int\n")
  accepts("from dataclasses import dataclass\nfrom functools import total_ordering\n@total_ordering\n@dataclass\nclass P:\n    x: int\n")
  rejects("import dataclasses\ndataclasses.dataclass(T, init=False)\n", "policy.call")
  rejects("from dataclasses import dataclass\nd = dataclass\n", "policy.call")
  rejects("from dataclasses import dataclass\n@dataclass\ndef f(): pass\n", "policy.call")
  rejects("import dataclasses\nx = dataclasses.fields(p)\n", "policy.module-attribute")
  -- field: the whole default of an annotated field in a class body
  accepts("from dataclasses import dataclass, field\n@dataclass\nclass A:\n    x: list = field(default_factory=list)\n"
    .. "    def m(self):\n        return 1\n    y: int = field(default=0)\n")
  rejects("from dataclasses import field\nf = field(default=0)\n", "policy.call")
  rejects("from dataclasses import field\nx: int = field()\n", "policy.call")
  rejects("from dataclasses import field\ndef f():\n    x: int = field()\n", "policy.call")
  rejects("from dataclasses import field\nclass A:\n    x: int = field() or 1\n", "policy.call")
  rejects("import dataclasses\nclass A:\n    x = dataclasses.field()\n", "policy.call")
  -- the Field bound in the class body may not be used again there (y = x keeps it)
  rejects("from dataclasses import dataclass, field\n@dataclass\nclass A:\n    x: list = field(default_factory=list)\n    y = x\n", "policy.call")
  accepts("from dataclasses import dataclass, field\n@dataclass\nclass A:\n    x: list = field(default_factory=list)\n"
    .. "    def m(self):\n        x = 1\n        return x\nx = 2\nprint(x)\n")
  -- only in a @dataclass class (elsewhere the Field stays the class attribute
  -- B.x), keyword arguments only, flags literal
  rejects("from dataclasses import field\nclass B:\n    x: int = field(default=0)\nf = B.x\n", "policy.call")
  rejects("from dataclasses import dataclass, field\n@dataclass\nclass A:\n    x: int = field(default=0, init=t)\n", "policy.call")
  rejects("from dataclasses import dataclass, field\n@dataclass\nclass A:\n    x: int = field(**k)\n", "policy.call")
  accepts("from dataclasses import dataclass, field\n@dataclass(frozen=True)\nclass A:\n    x: int = field(default=0, repr=False, hash=None)\n")
  rejects("from dataclasses import dataclass\n@dataclass(eq=t)\nclass A:\n    x: int = 0\n", "policy.call")
  -- __slots__: a literal the class alone holds
  accepts("class A:\n    __slots__ = ('x', 'y')\nclass B:\n    __slots__ = ['x']\n")
  rejects("names = ['x']\nclass A:\n    __slots__ = names\n", "policy.dunder")
  rejects("class A:\n    __slots__ = L = ['x']\n", "policy.dunder")
  -- TypedDict, NamedTuple, Enum: base classes, never called or kept
  accepts("import typing\nclass T(typing.TypedDict, total=False):\n    a: int\n")
  accepts("from typing import NamedTuple\nclass P(NamedTuple):\n    x: int\n")
  accepts("import enum\nclass C(enum.Enum):\n    A = 1\nok = isinstance(C.A, enum.Enum)\n")
  rejects("import typing\nT = typing.TypedDict('T', {'a': int})\n", "policy.call")
  rejects("from typing import NamedTuple\nP = NamedTuple('P', [('x', int)])\n", "policy.call")
  rejects("import typing\nT = typing.TypedDict\n", "policy.call")
  rejects("import enum\nE = enum.Enum('E', 'A B')\n", "policy.call")
  -- class statements: no ** or * in the bases
  rejects("class A(**{'metaclass': M}):\n    pass\n", "policy.call")
  rejects("class A(*bases):\n    pass\n", "policy.call")
  accepts("class A(B, C):\n    pass\n")
  -- hasattr with a literal allowed name; type(x) compared
  accepts("ok = hasattr(p, 'price')\n")
  rejects("ok = hasattr(p, name)\n", "policy.call")
  rejects("ok = hasattr(p, '_x')\n", "policy.call")
  rejects("ok = hasattr(p, 'gi_frame')\n", "policy.call")
  accepts("ok = type(a) is int or type(a) == type(b) or float is not type(a)\n")
  accepts("if type(a) is not bool and (type(a) != type(b)):\n    pass\nx = [type(v) is int for v in y]\n")
  -- == and in hand the value to the other operand's __eq__/__contains__
  rejects("ok = type(a) == x\n", "policy.call")
  rejects("ok = x != type(a)\n", "policy.call")
  rejects("ok = type(a) in (list, tuple)\n", "policy.call")
  rejects("ok = y < type(a) is int\n", "policy.call")
  rejects("ok = type(a) is int < type(b)\n", "policy.call")
  rejects("ok = f(type(a)) is None\n", "policy.call")
  rejects("t = type(a)\n", "policy.call")
  rejects("t = type(a)('X', (), {})\n", "policy.call")
  rejects("t = type('X', (), {}) is None\n", "policy.call")
  accepts("def f(order, type=None):\n    return order\nf(1, type='buy')\n")
end)

T.test("dunders: allowlist, main guard, slots", function()
  accepts("class A:\n    __slots__ = ('x',)\n    def __init__(self):\n        self.x = 1\n" ..
    "    def __repr__(self):\n        return 'A'\n")
  accepts("class B(A):\n    def __init__(self):\n        super().__init__()\n")
  accepts("if __name__ == '__main__':\n    pass\n")
  rejects("print(__name__)\n", "policy.dunder")
  rejects("if __name__ != '__main__':\n    pass\n", "policy.dunder")
  rejects("x.__class__\n", "policy.dunder")
  rejects("x.__dict__\n", "policy.dunder")
  accepts("class A:\n    def __getattr__(self, n):\n        return 0\n    def __format__(self, spec):\n        return 'A'\n")
  accepts("class A:\n    'doc'\nprint(A.__doc__)\n")
  accepts("if '__main__' == __name__:\n    pass\n")
  rejects("if '__main__' == __name__ + x:\n    pass\n", "policy.dunder")
  rejects("x = __builtins__\n", "policy.dunder")
  rejects("x = __\n", "policy.dunder")
end)

T.test("attributes: frames, generators, private", function()
  for _, attr in ipairs({ "gi_frame", "gi_code", "cr_frame", "ag_frame", "f_back", "f_globals",
    "tb_frame", "co_consts", "mro", "cell_contents", "with_traceback" }) do
    rejects(("x.%s\n"):format(attr), "policy.attribute")
  end
  accepts("class A:\n    def f(self):\n        return self._x + A.y\n")
  rejects("other._value\n", "policy.private-attribute")
  rejects("x.y._z\n", "policy.private-attribute")
  -- names (not attributes) may use those prefixes
  accepts("f_value = 1\nco_x = 2\n")
end)

T.test("str.format: only on plain literals without traversal", function()
  accepts("s = '{} {:.2f} {name!r:>10} {0:{1}}'.format(1, 2, name=3)\n")
  accepts("s = '{{literal}} {a}'.format_map({'a': 1})\n")
  accepts("s = 'a' 'b{}'.format(1)\n")
  rejects("s = '{0.real}'.format(1)\n", "policy.format")
  accepts("s = '{0[1]} {row[key]}'.format([1, 2], row={'key': 3})\n")
  rejects("s = '{0[1].real}'.format([1, 2])\n", "policy.format")
  rejects("s = '{0[a.b]}'.format(x)\n", "policy.format")
  rejects("s = '{:{0.x}}'.format(1)\n", "policy.format")
  rejects("s = t.format(1)\n", "policy.format")
  rejects("s = ('{}').format(1)\n", "policy.format")
  rejects("s = f'{x}'.format(1)\n", "policy.format")
  rejects("s = '\\x7b0.real}'.format(1)\n", "policy.format")
  rejects("s = b'{}'.format\n", "policy.format")
end)

T.test("decorators: allowlist, property accessors, local functions", function()
  accepts("from dataclasses import dataclass\n@dataclass\nclass A:\n    x: int = 0\n")
  accepts("import functools\n@functools.lru_cache(maxsize=8)\ndef f(n):\n    return n\n")
  accepts("def deco(f):\n    return f\n@deco\ndef g():\n    pass\n")
  accepts("class A:\n    @property\n    def v(self):\n        return 1\n    @v.setter\n" ..
    "    def v(self, x):\n        pass\n")
  rejects("@unknown\ndef g():\n    pass\n", "policy.decorator")
  rejects("@(lambda f: f)\ndef g():\n    pass\n", "policy.decorator")
  rejects("@a.b.c\ndef g():\n    pass\n", "policy.decorator")
  -- '@' in an expression is matrix multiplication, not a decorator
  accepts("c = a @ b\n")
end)

T.test("keywords, match statements and forbidden names", function()
  rejects("async def f():\n    pass\n", "policy.keyword")
  rejects("def f():\n    await g\n", "policy.keyword")
  accepts("match x:\n    case 1:\n        pass\n    case P(x=0, y=yy):\n        pass\n    case _:\n        pass\n")
  rejects("match x:\n    case object(gi_frame=f):\n        pass\n", "policy.match")
  rejects("match x:\n    case 1:\n        pass\n    case P(_secret=s):\n        pass\n", "policy.match")
  rejects("match x:\n    case C(__class__=k):\n        pass\n", "policy.match")
  accepts("import re\nmatch = re.match('a', 'a')\nmatch(1)\n")
  rejects("class A(metaclass=M):\n    pass\n", "policy.name")
  accepts("global_total = 0\ndef f():\n    global global_total\n    global_total += 1\n")
end)

T.test("lexer findings come through check()", function()
  rejects("x = 1\ry = 2\n", "byte.control") -- a lone CR is a newline to CPython
  accepts("x = 1\r\ny = 'a'\r\n") -- CRLF: CPython reads LF
  accepts("\xef\xbb\xbfx = 1\n") -- a UTF-8 BOM at the start
  rejects("x = 1\n\xef\xbb\xbf\n", "byte.invisible") -- anywhere else
  accepts("# -*- coding: utf-8 -*-\nx = 1\n")
  rejects("# coding: latin-1\n", "byte.coding")
  rejects("\xef\xbc\xa5 = 1\n", "byte.non-ascii")
  rejects("s = 'abc\n", "lex.unterminated-string")
  rejects("x = (1\n", "lex.bracket")
end)

-- ---- API -------------------------------------------------------------------------------

T.test("check() result shape and positions", function()
  local r = validator.check("import math\nx = eval\ny = 1\n")
  T.eq(r.accepted, false)
  T.eq(#r.findings, 1)
  local f = r.findings[1]
  T.eq(f.rule, "policy.builtin")
  T.eq(f.line, 2)
  T.eq(f.col, 5)
  T.eq(f.token, nil)
  T.contains(f.message, "eval")
  local ok = validator.check("")
  T.eq(ok.accepted, true)
  T.eq(#ok.findings, 0)
  T.raises(function() validator.check(42) end, "source must be a string")
end)

T.test("findings are sorted and capped by max_findings", function()
  local src = ("x = eval\n"):rep(300)
  local r = validator.check(src)
  T.eq(#r.findings, 100)
  for i = 2, #r.findings do T.ok(r.findings[i - 1].line <= r.findings[i].line) end
  local p = {}
  for k, v in pairs(validator.default_policy()) do p[k] = v end
  p.max_findings = 3
  T.eq(#validator.check(src, p).findings, 3)
end)

local function write_temp(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path
end

-- CPU seconds of validator.check(src).
local function check_time(src)
  local start = os.clock()
  validator.check(src)
  return os.clock() - start
end

T.test("linear time on many fields of one class", function()
  local function run(k)
    local parts = { "from dataclasses import dataclass, field\n@dataclass\nclass A:\n" }
    for n = 1, 2000 * k do
      parts[#parts + 1] = ("    x%d: int = field(default=0)\n    def m%d(self):\n        return x%d\n"):format(n, n, n)
    end
    local src = table.concat(parts)
    local t0 = os.clock()
    T.ok(validator.check(src).accepted)
    return os.clock() - t0
  end
  local one, four = run(1), run(4)
  T.ok(four < one * 12, ("4x the fields took %.3f s, 1x %.3f s"):format(four, one))
end)

T.test("linear time on many match statements and long literal runs", function()
  -- Both once took time quadratic in the input: each `match` scanned to the
  -- end of its logical line, each literal was inserted at the front.
  local sources = {
    matches = function(k) return ("match;"):rep(1000 * k) .. "\n" end,
    literals = function(k) return "x = " .. ('"a" '):rep(4000 * k) .. ".format()\n" end,
  }
  for what, source in pairs(sources) do
    local t_small, t_big = check_time(source(1)), check_time(source(8))
    -- 8 times the input: linear is about 8 times the time, quadratic 64.
    T.ok(t_big < 0.02 or t_big < 25 * t_small,
      ("%s: %.4f s for 8x the input, %.4f s before"):format(what, t_big, t_small))
  end
end)

T.test("custom policy files: extend the default, and malformed ones", function()
  local path = write_temp([[
local p = default_policy()
p.modules = { math = { "sqrt" } }
return p
]])
  local p = assert(validator.load_policy(path))
  os.remove(path)
  T.ok(validator.check("import math\nmath.sqrt(2)\n", p).accepted)
  T.eq(validator.check("import json\n", p).accepted, false)
  T.eq(validator.check("import math\nmath.pi\n", p).accepted, false)
  -- a copy: the default policy is unchanged
  T.ok(validator.check("import json\n").accepted)

  local bad = write_temp("return { modules = 5 }\n")
  local none, err = validator.load_policy(bad)
  os.remove(bad)
  T.eq(none, nil)
  T.contains(err, "modules")
  local broken = write_temp("return {\n")
  T.eq(validator.load_policy(broken), nil)
  os.remove(broken)
  T.eq(validator.load_policy("/nonexistent/policy.lua"), nil)
  T.eq(validator.validate_policy({ modules = {}, builtins = { 1 } }), nil)
  T.ok(validator.validate_policy(validator.default_policy()))
end)

T.test("policy files are data: no engine powers, a time limit, one-line errors", function()
  for _, body in ipairs({
    "os.execute('touch /tmp/x')\nreturn default_policy()\n",
    "os.exit(3)\n",
    "return require('sandprobe.policy.default')\n",
    "io.open('/etc/passwd')\n",
  }) do
    local path = write_temp(body)
    local none, err = validator.load_policy(path)
    os.remove(path)
    T.eq(none, nil, body)
    T.ok(not err:find("\n"), err)
    T.contains(err, "nil", body) -- the globals do not exist
  end
  local loop = write_temp("while true do end\n")
  local t0 = os.clock()
  local none, err = validator.load_policy(loop)
  os.remove(loop)
  T.eq(none, nil)
  T.contains(err, "timed out")
  T.ok(os.clock() - t0 < validator.POLICY_LOAD_TIMEOUT_S + 2)
  local shape = write_temp("return 42\n")
  none, err = validator.load_policy(shape)
  os.remove(shape)
  T.eq(none, nil)
  T.ok(not err:find("\n"), err)
  local restricted = write_temp("local p = default_policy()\np.restricted = { wraps = 'anything' }\nreturn p\n")
  none, err = validator.load_policy(restricted)
  os.remove(restricted)
  T.eq(none, nil)
  T.contains(err, "restricted")
end)

T.test("every rule id is described and documented", function()
  local doc = read(TESTS .. "/../docs/validator.md")
  for id, text in pairs(validator.RULES) do
    T.ok(#text > 0, id)
    T.contains(doc, "`" .. id .. "`", "docs/validator.md")
  end
end)

T.test("pyscan.tokens", function()
  local toks = assert(pyscan.tokens("x = f'{a!r}'  # c\n"))
  local kinds = {}
  for _, t in ipairs(toks) do kinds[#kinds + 1] = t.kind end
  T.eq(table.concat(kinds, " "),
    "NAME OP FSTRING_START OP NAME OP NAME OP FSTRING_END COMMENT NEWLINE ENDMARKER")
  T.eq(toks[3].text, "f'")
  T.eq(toks[3].col, 5)
  T.eq(toks[10].text, "# c")
  local none, findings = pyscan.tokens("x = '\n")
  T.eq(none, nil)
  T.eq(findings[1].rule, "lex.unterminated-string")
  T.eq(findings[1].line, 1)
  T.raises(function() pyscan.tokens("x", { max_depth = -1 }) end, "max_depth")
  T.eq(pyscan.defaults.max_bytes, 1024 * 1024)
end)

T.test("pywalk.lex: tokens kept in C, views, positions", function()
  local walk = assert(pywalk.lex("import a\n# c\nb . c\n"))
  T.eq(walk:count(), 8) -- NAME NAME NEWLINE NAME OP NAME NEWLINE ENDMARKER
  local K, T_ = walk:views()
  T.eq(K[1], "NAME")
  T.eq(K[3], "NEWLINE")
  T.eq(K[8], "ENDMARKER")
  T.eq(K[0], nil)
  T.eq(K[9], nil)
  T.eq(K.x, nil)
  T.eq(T_[2], "a")
  T.eq(T_[5], ".")
  T.eq(T_[3], nil) -- NEWLINE has no text
  local where = walk:locate({ 6, 1, 6 })
  T.eq(where[6].line, 3)
  T.eq(where[6].col, 5)
  T.eq(where[1].col, 1)
  T.eq(where[4], nil)
  T.raises(function() walk:locate({ 9 }) end, "no such token")
  local accented = assert(pywalk.lex("s = 'é'; t\n"))
  T.eq(accented:locate({ 5 })[5].col, 10) -- columns count code points
  local nope, findings = pywalk.lex(("("):rep(10), { max_depth = 5 })
  T.eq(nope, nil)
  T.eq(findings[1].rule, "lex.depth")
  T.raises(function() pywalk.lex("x", { max_bytes = 0 }) end, "max_bytes")
end)

T.test("pywalk: the C walk reports through the hooks", function()
  local policy = pywalk.policy({
    keywords = { import = true, def = true, pass = true }, forbidden_builtins = { eval = true },
    dunders = { __init__ = true }, format_methods = { format = true },
    forbidden_prefixes = { "gi_" }, private_receivers = { self = true },
    modules = { m = { ok = true } },
  })
  local src = "import m\neval\nm.ok\nm.no\nm\nx.gi_frame\nself._a\no._b\n__x__\n"
    .. "'{}'.format\n@d\ndef f(): pass\nmatch\nimport os\nfrom m import no as eval\n"
  local walk = assert(pywalk.lex(src))
  local seen = {}
  local hooks = setmetatable({
    report = function(_, i, rule) seen[#seen + 1] = rule .. "@" .. i end,
  }, { __index = function(_, event)
    return function(_, i) seen[#seen + 1] = event .. "@" .. i end
  end })
  T.eq(walk:defined("f"), false) -- known after check()
  walk:check(policy, {}, hooks)
  T.eq(table.concat(seen, " "), "policy.import@47 policy.import-name@52 policy.builtin@54 "
    .. "policy.builtin@4 policy.module-attribute@12 policy.module-value@14 policy.attribute@18 "
    .. "policy.private-attribute@26 dunder@28 format@32 decorator@34 match@44")
  T.eq(walk:defined("f"), true)
  T.eq(walk:defined("d"), false)
  T.raises(function() pywalk.policy({ modules = { m = 1 } }) end, "modules must map")
  T.raises(function() pywalk.policy({ dunders = { "x" } }) end, "string keys")
end)
