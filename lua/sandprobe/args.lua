-- Command-line option parsing shared by every command.
--
-- A spec is a list of options:
--   { name = "format", arg = "FMT", choices = {"text","json"}, default = "text", help = "..." }
--   { name = "json", help = "..." }                       -- a flag: true when given
--   { name = "set", arg = "K=V", multi = true }           -- repeatable: a list
--   { name = "jobs", short = "j", arg = "N", type = "integer", min = 1 }
--   { name = "memory", arg = "BYTES", type = "size" }     -- 512m, 1g, 65536
--   { name = "tmpfs", arg = "P", check = function(v) return why_not end }
-- parse(argv, spec) returns opts (keyed by name, dashes kept) and the
-- positional arguments. "--" ends the options; short flags bundle ("-dq",
-- "-j2"). Errors raise a configuration error (sandprobe.config_error), which
-- the command line turns into a one-line message and exit status 2.
--
-- Why not Debian's lua-argparse: its parsers are built per command with their
-- own help and error layout, while every command here is a module whose
-- option spec also drives `sandprobe help`, the metrics options shared by run
-- and exec, and run's --format/--output pairing (opts._given); moving the
-- commands over is a restructuring of every command module, left for later.
local M = {}

local config_error = require("sandprobe.config_error")

-- A usage error is the configuration-error type (sandprobe.config_error);
-- these two names are kept for the commands' option checks.
M.usage_error = config_error.raise
M.is_usage_error = config_error.is

-- The most scenarios run at once (each worker is a thread with a Lua state
-- and, usually, a container).
M.MAX_JOBS = 64

-- Options every command accepts, applied to process-wide settings.
M.global = {
  { name = "host", short = "H", arg = "URL", help = "Docker daemon to use (default: $DOCKER_HOST or unix:///var/run/docker.sock)" },
  { name = "debug", short = "d", help = "show tracebacks and engine diagnostics" },
  { name = "version", short = "V", help = "print the version and exit" },
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
    if n == nil or n ~= n or n == math.huge or n == -math.huge
       or (o.type == "integer" and math.type(n) ~= "integer") then
      M.usage_error(("--%s needs %s, not '%s'"):format(o.name, o.type == "integer" and "an integer" or "a number", value))
    end
    if (o.min and n < o.min) or (o.max and n > o.max) then
      M.usage_error(("--%s must be %s, not %s"):format(o.name, M.range_text(o), value))
    end
    return n
  end
  if o.type == "size" then
    local number, unit = value:lower():match("^(%d+%.?%d*)([bkmg]?)$")
    if not number or tonumber(number) <= 0 then
      M.usage_error(("--%s needs a positive size such as 512m, 1g or 65536, not '%s'"):format(o.name, value))
    end
  end
  local why_not = o.check and o.check(value)
  if why_not then M.usage_error(("--%s %s: %s"):format(o.name, value, why_not)) end
  return value
end

-- "1-64", "at least 1", "at most 5": an option's range for help and errors.
function M.range_text(o)
  if o.min and o.max then return ("%s-%s"):format(tostring(o.min), tostring(o.max)) end
  if o.min then return "at least " .. tostring(o.min) end
  return "at most " .. tostring(o.max)
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

-- Whether a global option argument ("-H", "--host", "--host=URL", "-dH",
-- "-Hunix://...") takes the next argument as its value; nil when it names
-- something that is not a global option.
function M.global_takes_next(a)
  local name = a:match("^%-%-([^=]+)")
  if name then
    local o = find(M.global, name)
    if not o then return nil end
    return o.arg ~= nil and not a:find("=", 1, true)
  end
  for k = 2, #a do
    local o = find(M.global, nil, a:sub(k, k))
    if not o then return nil end
    if o.arg then return k == #a end
  end
  return false
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
      -- Bundled short flags: "-dq" is "-d -q"; the first option that takes a
      -- value takes the rest ("-j2", "-dj2").
      local k = 2
      while true do
        o = find(all, nil, a:sub(k, k))
        if not o then M.usage_error(("unknown option -%s"):format(a:sub(k, k))) end
        if o.arg or k == #a then break end
        opts[o.name] = true
        k = k + 1
      end
      if #a > k then value = a:sub(k + 1) end
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

-- Raises a configuration error unless a file can be written at path (the
-- report and metrics writers write path .. ".tmp" and rename it), so a bad
-- --output is found before the first scenario runs, not after the last.
function M.check_writable(option, path)
  local probe = path .. ".tmp"
  local f, err = io.open(probe, "w")
  if not f then M.usage_error(("--%s %s: cannot write there: %s"):format(option, path, err)) end
  f:close()
  os.remove(probe)
end

-- Global options become settings the C primitives read.
function M.apply_global(opts)
  local core = require("sandprobe.core")
  if opts.host then core.setting("docker.host", opts.host) end
  if opts.debug then core.setting("debug", "1") end
end

-- Appends a shared group of options (metrics, targets) to a command's spec.
function M.extend(spec, options)
  for _, o in ipairs(options) do spec[#spec + 1] = o end
  return spec
end

-- Formats a spec as the option list of a help text.
function M.describe(spec)
  local lines = {}
  for _, o in ipairs(spec) do
    local left = "  " .. (o.short and ("-" .. o.short .. ", ") or "    ") .. "--" .. o.name
    if o.arg then left = left .. " " .. o.arg end
    local help = o.help or ""
    if o.min or o.max then help = help .. (" (%s)"):format(M.range_text(o)) end
    if o.default ~= nil then help = help .. (" (default: %s)"):format(tostring(o.default)) end
    if o.multi then help = help .. " (repeatable)" end
    lines[#lines + 1] = ("%-34s %s"):format(left, help)
  end
  return table.concat(lines, "\n")
end

return M
