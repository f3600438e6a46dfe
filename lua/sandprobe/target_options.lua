-- --target, --target-like and --runtime for the commands that run sandboxes
-- (run, exec, bench):
--
--   target_options.add_to(M.options)
--   local chosen = target_options.resolve(opts)   -- after parsing, before any container
--   -- chosen.target, chosen.runtimes (names), chosen.named (false: the daemon's default)
--   target_options.use(chosen, runtime)           -- before each runtime's work
--
-- Everything wrong with a target is a usage error (exit status 2) raised by
-- resolve, which asks the daemon nothing but /info (and, for --target-like,
-- the container's inspect).
local args = require("sandprobe.args")
local target = require("sandprobe.target")

local M = {}

M.options = {
  { name = "target", arg = "FILE", help = "the sandbox under test: a target file (Lua, or a `docker run ...` line), " ..
      "or a quoted `docker run ...` command line (default: the built-in hardened sandbox)" },
  { name = "target-like", arg = "CONTAINER", help = "the sandbox of an existing container, running or stopped (its image and HostConfig)" },
  { name = "runtime", arg = "NAME[,NAME...]", help = "container runtime(s), over the target's; several: everything once per runtime" },
}

function M.add_to(spec)
  return args.extend(spec, M.options)
end

local function load_target(opts)
  if opts.target and opts["target-like"] then
    args.usage_error("--target and --target-like each name the sandbox; give one")
  end
  if opts["target-like"] then return target.from_container(opts["target-like"]) end
  local given = opts.target
  if given == nil then return target.default() end
  if given:match("^%s*docker%s") then return target.from_command_line(given, "--target") end
  return target.load(given)
end

-- The target and the runtimes to go through. The target's endpoint applies
-- unless --host was given (a --target-like container is on --host's daemon).
function M.resolve(opts)
  local t = load_target(opts)
  target.apply_endpoint(t, opts.host ~= nil)
  local source = opts.runtime and "--runtime" or t.source
  local runtimes, unnamed = target.check_runtimes(target.runtimes(t, opts.runtime), source)
  return { target = t, runtimes = runtimes, named = not unnamed }
end

-- Makes `runtime` (one of chosen.runtimes) the sandbox of what follows.
function M.use(chosen, runtime)
  target.activate(chosen.target, chosen.named and runtime or nil)
end

return M
