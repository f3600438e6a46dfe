-- Reads the Prometheus text exposition format (0.0.4) back into tables, so
-- scenarios and tests can check what an endpoint really served, not what the
-- engine meant to serve:
--   local parsed = assert(prometheus_text.parse(text))
--   parsed.families["sandprobe_monitor_samples_total"]  --> {help=, type=}
--   prometheus_text.value(parsed, "sandprobe_docker_requests_total",
--                         {endpoint = "/containers/create", method = "POST"})  --> number | nil
-- parse returns nil and "line N: why" for anything outside the format.
local M = {}

local ESCAPES = { ["\\"] = "\\", ['"'] = '"', n = "\n" }

-- The label set at text position i (just after "{"): labels, position after "}".
local function parse_labels(line, i)
  local labels = {}
  while true do
    i = line:find("[^ ]", i) or #line + 1
    if line:sub(i, i) == "}" then return labels, i + 1 end
    local name, after = line:match("^([%a_][%w_]*)=\"()", i)
    if not name then return nil, "malformed label" end
    local value, j = {}, after
    while true do
      local c = line:sub(j, j)
      if c == "" then return nil, "unterminated label value" end
      if c == '"' then break end
      if c == "\\" then
        local e = ESCAPES[line:sub(j + 1, j + 1)]
        if not e then return nil, "bad escape in label value" end
        value[#value + 1], j = e, j + 2
      else
        value[#value + 1], j = c, j + 1
      end
    end
    labels[name] = table.concat(value)
    i = j + 1
    if line:sub(i, i) == "," then i = i + 1 end
  end
end

local function parse_number(text)
  if text == "+Inf" then return math.huge end
  if text == "-Inf" then return -math.huge end
  if text == "NaN" then return 0 / 0 end
  return tonumber(text)
end

local function parse_sample(line)
  local name, i = line:match("^([%a_:][%w_:]*)()")
  if not name then return nil, "not a sample" end
  local labels = {}
  if line:sub(i, i) == "{" then
    labels, i = parse_labels(line, i + 1)
    if not labels then return nil, i end
  end
  local value_text = line:match("^ +([^ ]+)", i)
  local value = value_text and parse_number(value_text)
  if not value then return nil, "bad sample value" end
  return { name = name, labels = labels, value = value }
end

function M.parse(text)
  local parsed = { families = {}, samples = {} }
  local n = 0
  for line in text:gmatch("([^\n]*)\n") do
    n = n + 1
    local kind, name, rest = line:match("^# (%u+) ([%a_:][%w_:]*) ?(.*)$")
    if kind == "HELP" or kind == "TYPE" then
      local f = parsed.families[name] or {}
      parsed.families[name] = f
      f[kind:lower()] = rest
    elseif line ~= "" and not line:match("^#") then
      local sample, err = parse_sample(line)
      if not sample then return nil, ("line %d: %s: %s"):format(n, err, line) end
      parsed.samples[#parsed.samples + 1] = sample
    end
  end
  return parsed
end

local function same_labels(a, b)
  for k, v in pairs(a) do if b[k] ~= v then return false end end
  for k, v in pairs(b) do if a[k] ~= v then return false end end
  return true
end

-- The value of the sample with exactly this name and these labels, or nil.
function M.value(parsed, name, labels)
  for _, s in ipairs(parsed.samples) do
    if s.name == name and same_labels(s.labels, labels or {}) then return s.value end
  end
  return nil
end

return M
