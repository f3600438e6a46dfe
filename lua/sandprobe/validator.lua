-- Layer 1: the static validator for untrusted Python.
--
--   local validator = require("sandprobe.validator")
--   local r = validator.check(source [, policy])
--   -- r.accepted: true when the source may run
--   -- r.findings: list of { rule=, line=, col=, message= }, sorted by position
--
-- `policy` is a policy table (the shape of lua/sandprobe/policy/default.lua)
-- or nil for the default policy. The strict lexer (engine/pyscan.c) refuses
-- anything it cannot read exactly like CPython; the policy then walks its
-- tokens and allows only what the policy lists. docs/validator.md describes
-- every rule id in M.RULES.
--
-- Over 600 lines, knowingly: the few rules that need Lua (decorators,
-- str.format, dunders in context, match, dataclass forms) are called back
-- from the C walk and share its policy compilation; the per-rule checks are
-- short functions in one place, in the order docs/validator.md lists them.
--
-- For speed the tokens stay in C (engine/pywalk.c), which applies every
-- rule that is a look-up in the policy's lists (compiled once per policy
-- table, below): import statements, builtins, keywords, dunders, attributes,
-- module attributes. The rules written here are the ones that need more
-- context: decorators, str.format receivers, `__name__`/`__slots__` and
-- `match` statements; the C walk calls them for the few tokens they are about.
local pywalk = require("pywalk")

local M = {}

local OPENERS, CLOSERS = { ["("] = true, ["["] = true, ["{"] = true }, { [")"] = true, ["]"] = true, ["}"] = true }

-- Every rule id a finding can carry, with a one-line description (the
-- SARIF rule catalogue uses these too).
M.RULES = {
  ["byte.size"] = "source larger than the size limit",
  ["byte.utf8"] = "source is not valid UTF-8 (overlongs, surrogates and code points above U+10FFFF included)",
  ["byte.control"] = "control character other than tab and newline (CR, NUL, form feed, C1 ...)",
  ["byte.invisible"] = "bidirectional override/isolate, direction mark, line separator or stray BOM",
  ["byte.coding"] = "PEP 263 coding declaration on line 1 or 2",
  ["byte.non-ascii"] = "non-ASCII character outside string literals and comments",
  ["lex.continuation"] = "backslash continuation not at the end of a line",
  ["lex.number"] = "malformed number or a number directly followed by a letter",
  ["lex.string-prefix"] = "unknown string prefix or a name directly followed by a quote",
  ["lex.unterminated-string"] = "unterminated string or f-string",
  ["lex.bracket"] = "unmatched or unclosed bracket",
  ["lex.depth"] = "brackets and f-strings nested deeper than the limit",
  ["lex.indent"] = "inconsistent indentation (tabs against spaces, bad dedent, too deep)",
  ["lex.character"] = "character that is not valid Python outside strings",
  ["lex.fstring-quote"] = "an enclosing f-string's quote character reused inside a replacement field",
  ["lex.fstring-backslash"] = "backslash inside an f-string replacement field",
  ["lex.fstring-comment"] = "'#' inside an f-string replacement field",
  ["lex.fstring-newline"] = "newline inside a replacement field of a single-quoted f-string",
  ["lex.fstring-brace"] = "single '}' in f-string text or doubled brace in a format spec",
  ["lex.fstring-escape"] = "backslash before a brace, or a malformed \\N{...}, in an f-string",
  ["lex.fstring-empty"] = "empty f-string replacement field",
  ["lex.fstring-conversion"] = "f-string conversion other than !r, !s, !a",
  ["lex.fstring-spec"] = "backslash or newline inside an f-string format spec",
  ["policy.import"] = "import of a module that is not on the allowlist (or of a submodule)",
  ["policy.import-relative"] = "relative import",
  ["policy.import-star"] = "from ... import *",
  ["policy.import-name"] = "from-import of a name not allowed for that module",
  ["policy.module-attribute"] = "module attribute not allowed for that module (re-exports such as random._os)",
  ["policy.module-value"] = "module used as a value (assigned, passed, returned) instead of module.attr",
  ["policy.builtin"] = "builtin that is not on the allowlist (eval, exec, getattr, open, type ...)",
  ["policy.keyword"] = "keyword outside the allowed subset (async, await)",
  ["policy.dunder"] = "dunder name not on the allowlist (__class__, __globals__, __subclasses__ ...)",
  ["policy.attribute"] = "forbidden attribute (frame, generator, coroutine, traceback, code internals, mro ...)",
  ["policy.private-attribute"] = "attribute starting with '_' read through something other than self/cls",
  ["policy.format"] = "str.format/format_map on something other than a plain literal, or with field traversal",
  ["policy.decorator"] = "decorator not on the allowlist",
  ["policy.match"] = "match statement (class patterns read attributes by name)",
  ["policy.name"] = "forbidden name (metaclass ...)",
  ["policy.call"] = "allowed callable used in a form that names attributes or code by strings (wraps(f, updated=...), dataclass(T), TypedDict('T', {...}), hasattr(x, name) ...)",
}

-- ---- policies ----------------------------------------------------------------

local function set_of(list)
  local s = {}
  for _, v in ipairs(list or {}) do s[v] = true end
  return s
end

local REQUIRED_LISTS = {
  "builtins", "python_builtins", "keywords", "dunders", "decorators",
}
local OPTIONAL_LISTS = {
  "python_keywords", "forbidden_attribute_prefixes", "forbidden_attributes",
  "format_methods", "private_receivers", "forbidden_names", "public_underscore_attributes",
  "definition_dunders",
}

local function check_list(p, key, required)
  local v = p[key]
  if v == nil and not required then return end
  if type(v) ~= "table" then
    error(("policy field '%s' must be a list of strings"):format(key), 0)
  end
  for i, item in ipairs(v) do
    if type(item) ~= "string" then
      error(("policy field '%s' item %d is not a string"):format(key, i), 0)
    end
  end
end

local function check_shape(p)
  if type(p) ~= "table" then error("a policy must be a table", 0) end
  if type(p.modules) ~= "table" then error("policy field 'modules' must be a table", 0) end
  for name, attrs in pairs(p.modules) do
    if type(name) ~= "string" or type(attrs) ~= "table" then
      error("policy field 'modules' must map module names to lists of attribute names", 0)
    end
    check_list(p.modules, name, true)
  end
  for _, key in ipairs(REQUIRED_LISTS) do check_list(p, key, true) end
  for _, key in ipairs(OPTIONAL_LISTS) do check_list(p, key, false) end
  if p.restricted ~= nil and type(p.restricted) ~= "table" then
    error("policy field 'restricted' must map names to forms", 0)
  end
  for name, form in pairs(p.restricted or {}) do
    if type(name) ~= "string" or not M.FORMS[form] then
      error(("policy field 'restricted': '%s' must be one of the forms in docs/validator.md"):format(tostring(name)), 0)
    end
  end
  if p.limits ~= nil and type(p.limits) ~= "table" then
    error("policy field 'limits' must be a table", 0)
  end
end

-- Turns the readable lists of a policy into lookup sets, once per table.
local compiled_cache = setmetatable({}, { __mode = "k" })

local function compile(p)
  local c = compiled_cache[p]
  if c then return c end
  check_shape(p)
  c = {
    limits = p.limits,
    max_findings = p.max_findings or 100,
    modules = {},
    keywords = set_of(p.keywords),
    forbidden_keywords = set_of(p.python_keywords),
    dunders = set_of(p.dunders),
    definition_dunders = set_of(p.definition_dunders),
    forbidden_builtins = set_of(p.python_builtins),
    forbidden_attributes = set_of(p.forbidden_attributes),
    forbidden_prefixes = p.forbidden_attribute_prefixes or {},
    format_methods = set_of(p.format_methods),
    private_receivers = set_of(p.private_receivers),
    forbidden_names = set_of(p.forbidden_names),
    public_underscore_attributes = set_of(p.public_underscore_attributes),
    restricted = p.restricted or {},
    context_names = {},
    decorators = set_of(p.decorators),
    allow_local_decorators = p.allow_local_decorators ~= false,
    main_guard = p.main_guard ~= false,
    slots = p.slots ~= false,
    match = p.match == true,
  }
  for name, attrs in pairs(p.modules) do c.modules[name] = set_of(attrs) end
  c.field_default_names = {}
  for name, form in pairs(c.restricted) do
    c.context_names[name] = true
    if form == "field-default" then c.field_default_names[name] = true end
  end
  for _, name in ipairs(p.builtins) do c.forbidden_builtins[name] = nil end
  for _, name in ipairs(p.keywords) do c.forbidden_builtins[name] = nil end
  c.native = pywalk.policy(c) -- the same sets, for the C walk
  compiled_cache[p] = c
  return c
end

-- The default policy table (lua/sandprobe/policy/default.lua).
function M.default_policy()
  return require("sandprobe.policy.default")
end

-- Checks that a policy table is well formed. true | nil, message
function M.validate_policy(p)
  local ok, err = pcall(compile, p)
  if ok then return true end
  return nil, tostring(err)
end

-- How long a policy file may run: it only builds a table.
M.POLICY_LOAD_TIMEOUT_S = 2

local function deep_copy(v)
  if type(v) ~= "table" then return v end
  local c = {}
  for k, x in pairs(v) do c[k] = deep_copy(x) end
  return c
end

-- Loads a policy file: a Lua chunk returning a policy table. It is data,
-- not code with the engine's powers: it runs in an environment with one
-- name, default_policy() (a fresh copy of the default policy to change),
-- under a time limit (M.POLICY_LOAD_TIMEOUT_S). policy | nil, message
-- (one line: a syntax error, an error or the time limit while it runs, a
-- malformed table).
function M.load_policy(path)
  local env = { default_policy = function() return deep_copy(M.default_policy()) end }
  local chunk, err = loadfile(path, "t", env)
  if not chunk then return nil, (tostring(err):gsub("\n.*", "")) end
  local ok, p = require("sandprobe.guard").call(M.POLICY_LOAD_TIMEOUT_S, chunk)
  if not ok then return nil, ("%s: %s"):format(path, (tostring(p):gsub("\n.*", ""))) end
  local valid, why = M.validate_policy(p)
  if not valid then return nil, ("%s: %s"):format(path, why) end
  return p
end

-- ---- the token walk ------------------------------------------------------------
-- A walker `w` holds views of the tokens kept in C (K[i] kind, T[i] text of
-- NAME, OP and STRING tokens; n tokens), the compiled policy, the names
-- defined with def (a view too) and the findings. Findings carry the token
-- index until locate_findings() turns it into line and column.

local function report(w, i, rule, message)
  local f = w.findings
  if #f < w.policy.max_findings then
    f[#f + 1] = { rule = rule, token = i, message = message }
  end
end

local function is_op(w, i, text)
  return w.K[i] == "OP" and w.T[i] == text
end

local function is_name(w, i, text)
  return w.K[i] == "NAME" and (text == nil or w.T[i] == text)
end

local function at_statement_start(w, i)
  local k = w.K[i - 1]
  return i == 1 or k == "NEWLINE" or k == "INDENT" or k == "DEDENT" or is_op(w, i - 1, ";")
end

-- `if __name__ == "__main__":` (i is the __name__ token)
-- or `if "__main__" == __name__:`
local function is_main_literal(w, j)
  local s = w.T[j]
  return w.K[j] == "STRING" and (s == '"__main__"' or s == "'__main__'")
end

local function is_main_guard(w, i)
  if is_name(w, i - 1, "if") and is_op(w, i + 1, "==") and is_main_literal(w, i + 2) and is_op(w, i + 3, ":") then
    return true
  end
  return is_name(w, i - 3, "if") and is_main_literal(w, i - 2) and is_op(w, i - 1, "==") and is_op(w, i + 1, ":")
end

-- `__slots__ = 'a'`, `('a', 'b')` or `['a', 'b']` from token i to the end of
-- the statement: the list the class keeps is then held by nothing else. One
-- the program could reach and change after the class was made would hand
-- program-chosen names to copy's getattr/setattr (copyreg._slotnames).
local function literal_slots(w, i)
  local function identifier_string(j)
    return w.K[j] == "STRING" and (w.T[j]:match("^'[%a_][%w_]*'$") or w.T[j]:match('^"[%a_][%w_]*"$'))
  end
  if identifier_string(i) then return w.K[i + 1] == "NEWLINE" end
  local close = (is_op(w, i, "(") and ")") or (is_op(w, i, "[") and "]")
  if not close then return false end
  local j = i + 1
  while not is_op(w, j, close) do
    if not identifier_string(j) then return false end
    j = j + 1
    if is_op(w, j, ",") then j = j + 1 elseif not is_op(w, j, close) then return false end
  end
  return w.K[j + 1] == "NEWLINE"
end

-- i is a bare dunder name that is not in the policy's dunders.
local function check_dunder_in_context(w, i)
  local t, p = w.T[i], w.policy
  if t == "__name__" and p.main_guard and is_main_guard(w, i) then return end
  if p.definition_dunders[t] and is_name(w, i - 1, "def") then return end
  if t == "__slots__" and p.slots and at_statement_start(w, i) and is_op(w, i + 1, "=") then
    if literal_slots(w, i + 2) then return end
    return report(w, i, "policy.dunder",
      "__slots__ must be a literal string, tuple or list of identifier strings ending the statement")
  end
  report(w, i, "policy.dunder", ("dunder name '%s' is not allowed"):format(t))
end

-- ---- str.format ---------------------------------------------------------------------

-- The body of a plain string literal token, or nil if it has a b/f prefix
-- or a backslash (an escape such as \x7b could spell a brace).
local function literal_body(token)
  local prefix, rest = token:match("^(%a*)(.*)$")
  if prefix:find("[bBfF]") or rest:find("\\", 1, true) then return nil end
  local q = (rest:sub(1, 3) == '"""' or rest:sub(1, 3) == "'''") and 3 or 1
  return rest:sub(q + 1, -q - 1)
end

-- i is the `format`/`format_map` attribute; its receiver must be one or more
-- adjacent string literals (implicit concatenation) right before the dot.
local function check_format_receiver(w, i)
  local bodies, j = {}, i - 2
  while j >= 1 and w.K[j] == "STRING" do
    local body = literal_body(w.T[j])
    if body == nil then
      return report(w, i, "policy.format", "format string literal has a prefix or an escape")
    end
    bodies[#bodies + 1] = body -- last literal first; reversed below (linear time)
    j = j - 1
  end
  local n = #bodies
  for k = 1, n // 2 do bodies[k], bodies[n - k + 1] = bodies[n - k + 1], bodies[k] end
  if #bodies == 0 then
    return report(w, i, "policy.format",
      ("'.%s' is allowed only directly on a string literal"):format(w.T[i]))
  end
  -- Every field, nested ones too, a bare name or number (scanned in C).
  if not pywalk.plain_format_fields(table.concat(bodies)) then
    report(w, i, "policy.format", "format string field traverses attributes or items ({0.x}, {0[x]})")
  end
end

-- ---- the tokens the C walk hands over (second pass) -------------------------------

-- Whether the logical line of token i ends with ':'. The C walk asks in
-- source order, so the answer for a line is kept: `match;match;...` scans
-- each token once, not once per `match` (linear time).
local function logical_line_ends_with_colon(w, i)
  if not (w.line_end and i < w.line_end) then
    local j = i
    while j <= w.n and w.K[j] ~= "NEWLINE" and w.K[j] ~= "ENDMARKER" do j = j + 1 end
    w.line_end, w.line_ends_with_colon = j, is_op(w, j - 1, ":")
  end
  return w.line_ends_with_colon
end

-- A keyword name in a class pattern (`case C(name=...)`) reads that
-- attribute of the subject: the attribute rules apply to it.
local function pattern_attribute_allowed(w, name)
  local p = w.policy
  if name:sub(1, 1) == "_" and not p.public_underscore_attributes[name] then return false end
  if p.forbidden_attributes[name] then return false end
  for _, prefix in ipairs(p.forbidden_prefixes) do
    if name:sub(1, #prefix) == prefix then return false end
  end
  return true
end

-- The `case` patterns of the match statement at i (its block: from the
-- INDENT after its line to the matching DEDENT).
local function check_case_patterns(w, i)
  local j = w.line_end + 1
  if w.K[j] ~= "INDENT" then return end
  local level, depth = 0, 0
  while j <= w.n do
    local k = w.K[j]
    if k == "INDENT" then level = level + 1
    elseif k == "DEDENT" then
      level = level - 1
      if level == 0 then return end
    elseif k == "OP" then
      local t = w.T[j]
      if OPENERS[t] then depth = depth + 1 elseif CLOSERS[t] then depth = depth - 1 end
    elseif k == "NAME" and depth > 0 and is_op(w, j + 1, "=") and (is_op(w, j - 1, "(") or is_op(w, j - 1, ","))
        and level == 1 and not pattern_attribute_allowed(w, w.T[j]) then
      report(w, j, "policy.match", ("class pattern reads attribute '%s', which is not allowed"):format(w.T[j]))
    end
    j = j + 1
  end
end

-- i is the bare name `match`: a match statement when it starts a statement
-- whose line ends with ':'. Its class patterns' keyword names are attribute
-- reads (case object(gi_frame=f)), checked like attributes; when the policy
-- refuses match statements (match = false) the statement is refused.
local function check_match(w, i)
  if at_statement_start(w, i) and logical_line_ends_with_colon(w, i) then
    if not w.policy.match then
      return report(w, i, "policy.match", "match statements are not allowed")
    end
    check_case_patterns(w, i)
  end
end

local PROPERTY_ACCESSORS = { setter = true, getter = true, deleter = true }

-- i is an '@' at the start of a statement: a decorator.
local check_restricted -- below, with the restricted callables

local function check_decorator(w, i)
  local parts, j, last = {}, i + 1, nil
  while is_name(w, j) do
    parts[#parts + 1] = w.T[j]
    last = j
    j = j + 1
    if not is_op(w, j, ".") then break end
    j = j + 1
  end
  if #parts == 0 or not (w.K[j] == "NEWLINE" or is_op(w, j, "(")) then
    return report(w, i, "policy.decorator", "a decorator must be a dotted name, optionally called")
  end
  local name, p = table.concat(parts, "."), w.policy
  -- A restricted name as a decorator of one or two parts: the C walk left
  -- its form (@dataclass on a class, @wraps(f)) to this hook.
  if #parts <= 2 and p.restricted[parts[#parts]] then check_restricted(w, last) end
  if p.decorators[name] then return end
  if #parts == 1 and p.allow_local_decorators and w.defined[name] then return end
  if #parts == 2 and PROPERTY_ACCESSORS[parts[2]] then return end
  report(w, i, "policy.decorator", ("decorator '@%s' is not allowed"):format(name))
end

-- ---- restricted callables ------------------------------------------------------------
-- policy.restricted maps a name to the only form in which it may appear
-- (docs/validator.md, "Restricted callables"). The C walk hands over every
-- bare occurrence of such a name and every `module.name`; a keyword
-- argument's name (`f(type=1)`) is no use of the callable.


-- The first token of the dotted name ending at i (`typing` of typing.TypedDict).
local function first_of_dotted(w, i)
  while is_op(w, i - 1, ".") and is_name(w, i - 2) do i = i - 2 end
  return i
end

-- The arguments of the call whose '(' is at i: a list of { first, last }
-- token ranges, the index of ')' and whether any is a keyword or unpacked
-- argument. nil when the brackets do not close on this statement.
local function call_arguments(w, i)
  local args, depth, j, start, special = {}, 0, i, i + 1, false
  while j <= w.n do
    local t = w.K[j] == "OP" and w.T[j]
    if t and OPENERS[t] then
      depth = depth + 1
    elseif t and CLOSERS[t] then
      depth = depth - 1
      if depth == 0 then
        if j > start then args[#args + 1] = { start, j - 1 } end
        return args, j, special
      end
    elseif depth == 1 and t == "," then
      args[#args + 1] = { start, j - 1 }
      start = j + 1
    elseif depth == 1 and (t == "=" or ((t == "*" or t == "**") and j == start)) then
      special = true
    elseif w.K[j] == "ENDMARKER" then
      return nil
    end
    j = j + 1
  end
  return nil
end

local function is_keyword_argument_name(w, i)
  return is_op(w, i + 1, "=") and (is_op(w, i - 1, "(") or is_op(w, i - 1, ","))
end

-- The '(' enclosing token i on its statement, or nil.
local function enclosing_paren(w, i)
  local depth, j = 0, i - 1
  while j >= 1 and not at_statement_start(w, j + 1) do
    local t = w.K[j] == "OP" and w.T[j]
    if t and CLOSERS[t] then depth = depth + 1
    elseif t and OPENERS[t] then
      if depth == 0 then return t == "(" and j or nil end
      depth = depth - 1
    end
    j = j - 1
  end
  return nil
end

-- wraps(f): one positional argument (assigned=/updated= copy attributes named by strings).
local function single_argument(w, i)
  if not is_op(w, i + 1, "(") then return false end
  local args, _, special = call_arguments(w, i + 1)
  return args ~= nil and #args == 1 and not special
end

-- Values the dataclasses library only tests for truth.
local LITERAL_FLAGS = { ["True"] = true, ["False"] = true, ["None"] = true }

-- Every argument of the call whose '(' is at open is a keyword argument, and
-- those named in flagged (all of them when flagged is nil) have a literal
-- True/False/None value. dataclasses tests such flags with `if f.init:`: a
-- program object there runs its __bool__ inside the generator, between the
-- text it builds and the code it compiles from it.
local function literal_flags(w, open, flagged)
  local args = call_arguments(w, open)
  if not args then return false end
  for _, a in ipairs(args) do
    local first, last = a[1], a[2]
    if not (is_name(w, first) and is_op(w, first + 1, "=")) then return false end
    if (flagged == nil or flagged[w.T[first]])
        and not (last == first + 2 and is_name(w, last) and LITERAL_FLAGS[w.T[last]]) then
      return false
    end
  end
  return true
end

-- The decorator whose name ends at token i (`@name` or `@name(...)` at the
-- start of a statement): the first token of the statement it decorates
-- (after any further decorators), or nil when i is no such decorator.
local function decorated_statement(w, i)
  local first = first_of_dotted(w, i)
  if not (is_op(w, first - 1, "@") and at_statement_start(w, first - 1)) then return nil end
  local j = i + 1
  if is_op(w, j, "(") then
    local _, close = call_arguments(w, j)
    if not close then return nil end
    j = close + 1
  end
  if w.K[j] ~= "NEWLINE" then return nil end
  j = j + 1
  while is_op(w, j, "@") do -- further decorators, each on its own line
    while j <= w.n and w.K[j] ~= "NEWLINE" do j = j + 1 end
    j = j + 1
  end
  return j
end

-- @dataclass or @dataclass(...) directly on a class statement of the program.
local function class_decorator(w, i)
  if w.T[i] == "dataclass" and is_op(w, i + 1, "(") and not literal_flags(w, i + 1) then return false end
  local decorated = decorated_statement(w, i)
  return decorated ~= nil and is_name(w, decorated, "class")
end

-- @wraps(f) directly on a def: the partial wraps returns is applied to that
-- function at once and kept by nothing. Called anywhere else, the partial
-- takes assigned=/updated= when it is called (w(g, updated=('__globals__',))),
-- whatever wraps itself was given.
local function function_decorator(w, i)
  local decorated = decorated_statement(w, i)
  return decorated ~= nil and is_name(w, decorated, "def") and single_argument(w, i)
end

-- A base class in `class X(Base, ...)`, or the class in isinstance/issubclass(x, C).
local function base_class(w, i)
  local first = first_of_dotted(w, i)
  if not (is_op(w, first - 1, "(") or is_op(w, first - 1, ",")) then return false end
  if not (is_op(w, i + 1, ",") or is_op(w, i + 1, ")")) then return false end
  local open = enclosing_paren(w, first)
  if not open or not is_name(w, open - 1) then return false end
  if is_name(w, open - 2, "class") and at_statement_start(w, open - 2) then return true end
  local callee = w.T[open - 1]
  return (callee == "isinstance" or callee == "issubclass") and not is_op(w, open - 2, ".")
end

-- hasattr(x, "name"): the name a plain literal that the attribute rules allow.
local function literal_attribute(w, i)
  if not is_op(w, i + 1, "(") then return false end
  local args, _, special = call_arguments(w, i + 1)
  if not args or #args ~= 2 or special or args[2][1] ~= args[2][2] or w.K[args[2][1]] ~= "STRING" then
    return false
  end
  local token = w.T[args[2][1]]
  local name = token:match("^'([%a][%w_]*)'$") or token:match('^"([%a][%w_]*)"$')
  if not name or w.policy.forbidden_attributes[name] then return false end
  for _, prefix in ipairs(w.policy.forbidden_prefixes) do
    if name:sub(1, #prefix) == prefix then return false end
  end
  return true
end

-- Tokens after which an expression operand starts, and after which one ends:
-- a type(x) between them is a whole operand, passed to no operator method.
local OPERAND_BEFORE = { ["("] = true, [","] = true, ["="] = true, ["["] = true, [":"] = true,
  ["and"] = true, ["or"] = true, ["not"] = true, ["if"] = true, ["elif"] = true, ["while"] = true,
  ["return"] = true, ["assert"] = true, ["else"] = true }
local OPERAND_AFTER = { [")"] = true, [","] = true, [":"] = true, ["]"] = true, ["}"] = true,
  ["and"] = true, ["or"] = true, ["if"] = true, ["else"] = true }

local function operand_starts(w, i)
  local k = w.K[i - 1]
  return at_statement_start(w, i) or ((k == "OP" or k == "NAME") and OPERAND_BEFORE[w.T[i - 1]] or false)
end

local function operand_ends(w, i)
  local k = w.K[i + 1]
  return k == "NEWLINE" or ((k == "OP" or k == "NAME") and OPERAND_AFTER[w.T[i + 1]] or false)
end

-- type(x) with one argument; the index of its ')' or nil.
local function type_call(w, i)
  if not (is_name(w, i, "type") and is_op(w, i + 1, "(")) then return nil end
  local args, close, special = call_arguments(w, i + 1)
  if not args or #args ~= 1 or special then return nil end
  return close
end

-- type(x) compared by identity (type(x) is int, int is not type(x)), or two
-- such calls compared for equality (type(a) == type(b)). Any other use hands
-- the value, for a class the metaclass, to code: `==` with an object calls
-- its __eq__ with it, `in` a container's __contains__, a kept one can be
-- called with three arguments.
local function comparison(w, i)
  local close = type_call(w, i)
  if not close then return false end
  if is_name(w, close + 1, "is") then return operand_starts(w, i) end
  if is_name(w, i - 1, "is") or (is_name(w, i - 1, "not") and is_name(w, i - 2, "is")) then
    return operand_ends(w, close)
  end
  -- type(a) == type(b): this is the left or the right call.
  if (is_op(w, close + 1, "==") or is_op(w, close + 1, "!=")) and type_call(w, close + 2) then
    return operand_starts(w, i) and operand_ends(w, type_call(w, close + 2))
  end
  if is_op(w, i - 1, "==") or is_op(w, i - 1, "!=") then
    -- the left operand must be a type(...) call ending right before the operator
    local depth, j = 0, i - 2
    if not is_op(w, j, ")") then return false end
    while j >= 1 do
      if is_op(w, j, ")") then depth = depth + 1
      elseif is_op(w, j, "(") then
        depth = depth - 1
        if depth == 0 then break end
      end
      j = j - 1
    end
    return type_call(w, j - 1) == i - 2 and operand_starts(w, j - 1) and operand_ends(w, close)
  end
  return false
end

-- field(...) as the whole default of an annotated field in a class body
-- (x: list = field(default_factory=list)): the Field object is then held
-- by that class alone. A Field kept in a variable can be renamed after its
-- class is made, and a subclass's dataclass pastes the new name into code.
-- Checked in C (pywalk.field_default: the statement and its block's header
-- from one pass over the tokens, so linear however many fields).
-- The class must be a dataclass: in any other class the Field stays a
-- class attribute (B.x), a Field the program holds, that a dataclass
-- subclass adopts as its own field; its flags are literals. Checked in C
-- with the rest (pywalk.c: dataclass_decorated, literal_flags).
local function field_default(w, i)
  return w.walk:field_default(i)
end

M.FORMS = {
  ["single-argument"] = { check = single_argument, says = "only as %s(f) with one positional argument" },
  ["class-decorator"] = { check = class_decorator, says = "only as a decorator of a class statement (@%s), dataclass's arguments literal True/False/None" },
  ["function-decorator"] = { check = function_decorator, says = "only as a decorator of a def with one positional argument (@%s(f))" },
  ["base-class"] = { check = base_class, says = "only as a base class or in isinstance/issubclass, never called (%s)" },
  ["literal-attribute"] = { check = literal_attribute, says = "only as %s(x, 'name') with a literal, allowed attribute name" },
  ["field-default"] = { check = field_default, says = "only as the whole default of an annotated field in a @dataclass class body (x: T = %s(...)), keyword arguments only, init/repr/compare/hash/kw_only literal True/False/None" },
  ["comparison"] = { check = comparison, says = "only as %s(x) with one argument compared by identity (is, is not) or with another %s(y) (==, !=)" },
}

-- i is a restricted name (bare, or an attribute of a module).
function check_restricted(w, i)
  local name = w.T[i]
  local form = M.FORMS[w.policy.restricted[name]]
  if not form or is_keyword_argument_name(w, i) then return end
  if is_name(w, i - 1, "def") or is_name(w, i - 1, "class") then
    return report(w, i, "policy.call", ("'%s' may not be redefined"):format(name))
  end
  if not form.check(w, i) then
    report(w, i, "policy.call", ("'%s' is allowed "):format(name) .. form.says:gsub("%%s", name))
  end
end

-- What the C walk (pywalk.c) calls: every finding it makes, and the tokens
-- whose rule is written here. It checks everything else itself.
local HOOKS = {
  report = report,
  decorator = check_decorator,
  format = check_format_receiver,
  dunder = check_dunder_in_context,
  match = check_match,
  context = check_restricted,
}

local function by_position(a, b)
  if a.line ~= b.line then return a.line < b.line end
  return a.col < b.col
end

-- Replaces each finding's token index by its line and column.
local function locate_findings(walk, findings)
  local indices = {}
  for k, f in ipairs(findings) do indices[k] = f.token end
  local where = walk:locate(indices)
  for _, f in ipairs(findings) do
    local at = where[f.token]
    f.line, f.col, f.token = at.line, at.col, nil
  end
  table.sort(findings, by_position)
end

-- ---- public API ----------------------------------------------------------------------

-- The source as CPython's tokenizer reads it: a UTF-8 byte order mark at
-- the start is dropped and CRLF line ends are LF (CPython translates them
-- everywhere, inside strings too). A lone CR stays (byte.control refuses it:
-- CPython reads it as a newline). Lines and columns do not change.
function M.as_python_reads(source)
  if source:sub(1, 3) == "\xEF\xBB\xBF" then source = source:sub(4) end
  if source:find("\r", 1, true) then source = source:gsub("\r\n", "\n") end
  return source
end

-- check(source [, policy [, opts]]) -> { accepted = bool, findings = {...} }
-- With opts.fingerprint, the result also has `fingerprint`: the program's
-- diversity fingerprint (diversity.observe takes it), made from the same
-- lexer run, so that sandbox.run lexes each program once. It is the
-- fingerprint of the source as Python reads it (as_python_reads) under the
-- policy's limits, accepted or not.
-- Raises an error for a malformed policy table (validate_policy first to
-- handle that as data).
function M.check(source, policy, opts)
  if type(source) ~= "string" then
    error("validator.check: source must be a string", 2)
  end
  local p = compile(policy or M.default_policy())
  source = M.as_python_reads(source)
  -- <close>: the tokens (C memory the collector does not see) go right away.
  local walk <close>, lex_findings, fingerprint = pywalk.lex(source, p.limits, opts ~= nil and opts.fingerprint)
  if not walk then
    return { accepted = false, findings = lex_findings, fingerprint = fingerprint }
  end
  local K, T = walk:views()
  local defined = setmetatable({}, { __index = function(_, name) return walk:defined(name) end })
  local w = { K = K, T = T, n = walk:count(), policy = p, findings = {}, defined = defined, walk = walk }
  walk:check(p.native, w, HOOKS)
  if #w.findings > 0 then locate_findings(walk, w.findings) end
  return { accepted = #w.findings == 0, findings = w.findings, fingerprint = fingerprint }
end

-- check_file(path [, policy]) -> result | nil, message (unreadable file)
function M.check_file(path, policy)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local source = f:read("a")
  f:close()
  if source == nil then return nil, path .. ": cannot read" end
  return M.check(source, policy)
end

return M
