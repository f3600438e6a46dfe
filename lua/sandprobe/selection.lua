-- Selection expressions, as Nmap's --script: words joined by and/or/not and
-- parentheses; a comma means "or". A word matches a scenario when it is the
-- scenario's pack, its id, one of its tags, or a glob over its id (fnmatch(3):
-- *, ? and [...]).
--   "seed"   "seed.network.*"   "seed and not slow"   "(layer2 or layer3) and critical"
local config_error = require("sandprobe.config_error").raise
local core = require("sandprobe.core")

local M = {}

local function tokenize(text)
  local tokens = {}
  local i = 1
  while i <= #text do
    local c = text:sub(i, i)
    if c:match("%s") then
      i = i + 1
    elseif c == "(" or c == ")" or c == "," then
      tokens[#tokens + 1] = c
      i = i + 1
    else
      local word = text:match("^[^%s%(%),]+", i)
      tokens[#tokens + 1] = word
      i = i + #word
    end
  end
  return tokens
end

local function word_matcher(word)
  local is_glob = word:find("[*?[]") ~= nil
  return function(s)
    if is_glob then return core.fnmatch(word, s.id) end
    if s.pack == word or s.id == word then return true end
    for _, tag in ipairs(s.tags or {}) do
      if tag == word then return true end
    end
    return false
  end
end

-- Recursive descent: or_expr := and_expr (("or" | ",") and_expr)*
--                    and_expr := not_expr ("and" not_expr)*
--                    not_expr := "not" not_expr | "(" or_expr ")" | WORD
local OPERATORS = { ["and"] = true, ["or"] = true, ["not"] = true }

local Parser = {}
Parser.__index = Parser

function Parser:peek() return self.tokens[self.pos] end
function Parser:take() self.pos = self.pos + 1; return self.tokens[self.pos - 1] end

-- Errors quote the user's own text; a word that is an operator on its own
-- is almost always an expression the shell split, hence the hint.
function Parser:fail(message)
  local hint = ""
  if self.text:match("^%s*[%a]+%s*$") and OPERATORS[self.text:match("%a+")] then
    hint = ("; '%s' joins selections: quote the whole expression as one argument, e.g. \"seed and not slow\""):format(self.text:match("%a+"))
  end
  config_error(("bad selection '%s': %s%s"):format(self.text, message, hint))
end

function Parser:or_expr()
  local left = self:and_expr()
  while self:peek() == "or" or self:peek() == "," do
    self:take()
    local l, r = left, self:and_expr()
    left = function(s) return l(s) or r(s) end
  end
  return left
end

function Parser:and_expr()
  local left = self:not_expr()
  while self:peek() == "and" do
    self:take()
    local l, r = left, self:not_expr()
    left = function(s) return l(s) and r(s) end
  end
  return left
end

function Parser:not_expr()
  local t = self:take()
  if t == nil then self:fail("unexpected end") end
  if t == "not" then
    local inner = self:not_expr()
    return function(s) return not inner(s) end
  elseif t == "(" then
    local inner = self:or_expr()
    if self:take() ~= ")" then self:fail("missing ')'") end
    return inner
  elseif t == ")" or t == "," or t == "and" or t == "or" then
    self:fail(("unexpected '%s'"):format(t))
  end
  return word_matcher(t)
end

-- Compiles an expression into a predicate over catalogue entries
-- ({id=, pack=, tags=}). Raises a usage error on a malformed expression.
function M.compile(text)
  local p = setmetatable({ tokens = tokenize(text), pos = 1, text = text }, Parser)
  if #p.tokens == 0 then p:fail("empty") end
  local predicate = p:or_expr()
  if p:peek() ~= nil then p:fail(("unexpected '%s'"):format(p:peek())) end
  return predicate
end

-- The entries a list of command-line words selects: each word is an
-- expression of its own, compiled as the user wrote it, and the words are
-- joined with "or". With no words, every scenario of packs not marked
-- `default = false`.
function M.select(entries, words)
  local predicate
  if #words == 0 then
    predicate = function(s) return s.default_pack end
  else
    local each = {}
    for i, word in ipairs(words) do each[i] = M.compile(word) end
    predicate = function(s)
      for _, p in ipairs(each) do
        if p(s) then return true end
      end
      return false
    end
  end
  local chosen = {}
  for _, e in ipairs(entries) do
    if predicate(e) then chosen[#chosen + 1] = e end
  end
  return chosen
end

return M
