-- The command line: `sandprobe COMMAND [options]`. Each command is a module
-- lua/sandprobe/cmd/<name>.lua returning
--   { summary = "one line", usage = "full help text", run = function(argv) return exit_code end }
-- so adding a command is adding a file.
local core = require("sandprobe.core")
local args = require("sandprobe.args")

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

-- Runs a command; usage errors become one line and exit status 2, other
-- errors one line (the traceback with --debug) and exit status 2.
local function dispatch(name, cmd, argv)
  local ok, result = xpcall(cmd.run, function(e)
    if args.is_usage_error(e) then return e end
    return { internal = tostring(e), traceback = debug.traceback(tostring(e), 2) }
  end, argv)
  if ok then return result or M.EXIT_OK end
  if args.is_usage_error(result) then
    io.stderr:write(("sandprobe %s: %s\nRun 'sandprobe help %s' for usage.\n"):format(name, result.message, name))
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

function M.main(argv)
  local name = argv[1]
  if name == nil then
    print_overview(io.stderr)
    return M.EXIT_USAGE
  end
  if name == "--version" or name == "version" then
    io.stdout:write("sandprobe ", core.version, "\n")
    return M.EXIT_OK
  end
  local rest = table.move(argv, 2, #argv, 1, {})
  if name == "help" or name == "--help" or name == "-h" then
    return help(rest)
  end
  local cmd = load_command(name)
  if not cmd then
    io.stderr:write(("sandprobe: unknown command '%s'\nRun 'sandprobe help' for the list of commands.\n"):format(name))
    return M.EXIT_USAGE
  end
  for _, a in ipairs(rest) do
    if a == "--help" or a == "-h" then return help({ name }) end
  end
  return dispatch(name, cmd, rest)
end

return M
