-- Command-line option parsing shared by every command.
--
-- A spec is a list of options:
--   { name = "format", arg = "FMT", choices = {"text","json"}, default = "text", help = "..." }
--   { name = "json", help = "..." }                       -- a flag: true when given
--   { name = "set", arg = "K=V", multi = true }           -- repeatable: a list
--   { name = "jobs", short = "j", arg = "N", type = "integer", min = 1 }
-- parse(argv, spec) returns opts (keyed by name, dashes kept) and the
-- positional arguments. "--" ends the options. Errors raise a usage error,
-- which the command line turns into a one-line message and exit status 2.
local M = {}

local UsageError = {}
UsageError.__index = UsageError
UsageError.__tostring = function(e) return e.message end

function M.usage_error(message)
  error(setmetatable({ message = message }, UsageError), 0)
end

function M.is_usage_error(value)
  return getmetatable(value) == UsageError
end

-- Options every command accepts, applied to process-wide settings.
M.global = {
  { name = "host", short = "H", arg = "URL", help = "Docker daemon to use (default: $DOCKER_HOST or unix:///var/run/docker.sock)" },
  { name = "debug", short = "d", help = "show tracebacks and engine diagnostics" },
}

local function find(spec, name, short)
  for _, o in ipairs(spec) do
    if (name and o.name == name) or (short and o.short == short) then return o end
  end
end

local function convert(o, value)
  if o.choices then
    for _, c in ipairs(o.choices) do
      if c == value then return value end
    end
    M.usage_error(("--%s must be one of %s, not '%s'"):format(o.name, table.concat(o.choices, ", "), value))
  end
  if o.type == "integer" or o.type == "number" then
    local n = tonumber(value)
    if n == nil or (o.type == "integer" and math.type(n) ~= "integer") then
      M.usage_error(("--%s needs %s, not '%s'"):format(o.name, o.type == "integer" and "an integer" or "a number", value))
    end
    if o.min and n < o.min then
      M.usage_error(("--%s must be at least %s"):format(o.name, tostring(o.min)))
    end
    return n
  end
  return value
end

local function store(opts, o, value)
  -- Options given with values, in command-line order, for commands whose
  -- options pair up (run: each --output belongs to the --format before it).
  table.insert(opts._given, { name = o.name, value = value })
  if o.multi then
    opts[o.name] = opts[o.name] or {}
    table.insert(opts[o.name], value)
  else
    opts[o.name] = value
  end
end

function M.parse(argv, spec)
  local all = {}
  for _, o in ipairs(spec) do all[#all + 1] = o end
  for _, o in ipairs(M.global) do all[#all + 1] = o end
  local opts, positional = { _given = {} }, {}
  local i = 1
  while i <= #argv do
    local a = argv[i]
    local o, value
    if a == "--" then
      table.move(argv, i + 1, #argv, #positional + 1, positional)
      break
    elseif a:sub(1, 2) == "--" then
      local name, inline = a:match("^%-%-([^=]+)=(.*)$")
      name = name or a:sub(3)
      o = find(all, name)
      if not o then M.usage_error("unknown option --" .. name) end
      value = inline
    elseif a:sub(1, 1) == "-" and #a > 1 then
      o = find(all, nil, a:sub(2, 2))
      if not o then M.usage_error("unknown option " .. a) end
      if #a > 2 then value = a:sub(3) end
    end
    if o then
      if o.arg then
        if value == nil then
          i = i + 1
          value = argv[i]
          if value == nil then M.usage_error(("--%s needs a value (%s)"):format(o.name, o.arg)) end
        end
        store(opts, o, convert(o, value))
      else
        if value ~= nil then M.usage_error(("--%s takes no value"):format(o.name)) end
        opts[o.name] = true
      end
    else
      positional[#positional + 1] = a
    end
    i = i + 1
  end
  for _, o in ipairs(all) do
    if opts[o.name] == nil then
      if o.multi then opts[o.name] = {} else opts[o.name] = o.default end
    end
  end
  M.apply_global(opts)
  return opts, positional
end

-- Global options become settings the C primitives read.
function M.apply_global(opts)
  local core = require("sandprobe.core")
  if opts.host then core.setting("docker.host", opts.host) end
  if opts.debug then core.setting("debug", "1") end
end

-- Formats a spec as the option list of a help text.
function M.describe(spec)
  local lines = {}
  for _, o in ipairs(spec) do
    local left = "  " .. (o.short and ("-" .. o.short .. ", ") or "    ") .. "--" .. o.name
    if o.arg then left = left .. " " .. o.arg end
    local help = o.help or ""
    if o.default ~= nil then help = help .. (" (default: %s)"):format(tostring(o.default)) end
    if o.multi then help = help .. " (repeatable)" end
    lines[#lines + 1] = ("%-34s %s"):format(left, help)
  end
  return table.concat(lines, "\n")
end

return M
