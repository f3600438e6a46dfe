-- The command line: `sandprobe COMMAND [options]`. Each command is a module
-- lua/sandprobe/cmd/<name>.lua returning
--   { summary = "one line", usage = "full help text", run = function(argv) return exit_code end }
-- so adding a command is adding a file.
local core = require("sandprobe.core")
local args = require("sandprobe.args")
local config_error = require("sandprobe.config_error")

local M = {}

-- Exit statuses shared by every command.
M.EXIT_OK, M.EXIT_FAILED, M.EXIT_USAGE = 0, 1, 2

local function command_names()
  local names = {}
  for _, file in ipairs(core.listdir(core.data_dir .. "/lua/sandprobe/cmd") or {}) do
    local name = file:match("^([%w_%-]+)%.lua$")
    if name then names[#names + 1] = name end
  end
  return names
end

local function load_command(name)
  if not name:match("^[%w_%-]+$") then return nil end
  local path = ("%s/lua/sandprobe/cmd/%s.lua"):format(core.data_dir, name)
  if core.filetype(path) ~= "file" then return nil end
  return require("sandprobe.cmd." .. name)
end

local function print_overview(out)
  out:write("sandprobe ", core.version, ": prove that a container sandbox for untrusted code holds\n\n")
  out:write("Usage: sandprobe COMMAND [options]\n\nCommands:\n")
  for _, name in ipairs(command_names()) do
    local cmd = load_command(name)
    if cmd and not cmd.hidden then
      out:write(("  %-10s %s\n"):format(name, cmd.summary or ""))
    end
  end
  out:write("  help       show help for a command\n")
  out:write("\nGlobal options:\n", args.describe(args.global), "\n")
  out:write("\nRun 'sandprobe help COMMAND' for a command's options.\n")
end

local function help(argv)
  local name = argv[1]
  if not name then
    print_overview(io.stdout)
    return M.EXIT_OK
  end
  local cmd = load_command(name)
  if not cmd then
    io.stderr:write(("sandprobe: unknown command '%s'\n"):format(name))
    return M.EXIT_USAGE
  end
  io.stdout:write(cmd.usage or cmd.summary or name, "\n")
  if cmd.options then
    io.stdout:write("\nOptions:\n", args.describe(cmd.options), "\n")
  end
  io.stdout:write("\nGlobal options:\n", args.describe(args.global), "\n")
  return M.EXIT_OK
end

local function debug_enabled(argv)
  for _, a in ipairs(argv) do
    if a == "--debug" or a == "-d" then return true end
  end
  return core.setting("debug") == "1"
end

-- Runs a command; configuration errors (sandprobe.config_error) become one
-- line and exit status 2, other errors one line (the traceback with --debug)
-- and exit status 2.
local function dispatch(name, cmd, argv)
  local ok, result = xpcall(cmd.run, function(e)
    if config_error.is(e) then return e end
    return { internal = tostring(e), traceback = debug.traceback(tostring(e), 2) }
  end, argv)
  if ok then return result or M.EXIT_OK end
  if config_error.is(result) then
    io.stderr:write(("sandprobe %s: %s (see 'sandprobe help %s')\n"):format(name, result.message, name))
  else
    io.stderr:write(("sandprobe %s: error: %s\n"):format(name, result.internal))
    if debug_enabled(argv) then
      io.stderr:write(result.traceback, "\n")
    else
      io.stderr:write("(run with --debug for a traceback)\n")
    end
  end
  return M.EXIT_USAGE
end

-- Global options may come before the command (`sandprobe -H URL doctor`):
-- they are taken off the front and applied; returns the rest.
local function take_leading_globals(argv)
  local i = 1
  while argv[i] and argv[i]:sub(1, 1) == "-" and argv[i] ~= "-" do
    local a = argv[i]
    if a == "--" then i = i + 1; break end
    if a == "--help" or a == "-h" or a == "--version" or a == "-V" then break end
    local takes_next = args.global_takes_next(a)
    if takes_next == nil then
      config_error.raise(("unknown global option %s (global options: -H/--host, -d/--debug, -V/--version)"):format(a))
    end
    i = i + (takes_next and 2 or 1)
  end
  args.parse(table.move(argv, 1, i - 1, 1, {}), {})
  return table.move(argv, i, #argv, 1, {})
end

-- -V/--version anywhere before "--" prints the version.
local function wants_version(argv)
  for _, a in ipairs(argv) do
    if a == "--" then return false end
    if a == "-V" or a == "--version" then return true end
  end
  return false
end

local function main(argv)
  if wants_version(argv) or argv[1] == "version" then
    io.stdout:write("sandprobe ", core.version, "\n")
    return M.EXIT_OK
  end
  argv = take_leading_globals(argv)
  local name = argv[1]
  if name == nil then
    print_overview(io.stderr)
    return M.EXIT_USAGE
  end
  local rest = table.move(argv, 2, #argv, 1, {})
  if name == "help" or name == "--help" or name == "-h" then
    return help(rest)
  end
  local cmd = load_command(name)
  if not cmd then
    io.stderr:write(("sandprobe: unknown command '%s' (see 'sandprobe help' for the list)\n"):format(name))
    return M.EXIT_USAGE
  end
  for _, a in ipairs(rest) do
    if a == "--" then break end
    if a == "--help" or a == "-h" then return help({ name }) end
  end
  return dispatch(name, cmd, rest)
end

function M.main(argv)
  local ok, result = pcall(main, argv)
  if ok then return result end
  if not config_error.is(result) then error(result, 0) end
  io.stderr:write(("sandprobe: %s\n"):format(result.message))
  return M.EXIT_USAGE
end

return M
