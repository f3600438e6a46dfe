-- The run-time guard's seed scenarios (seed.layer1.guard.*): one probe per
-- bypass class of the static validator and per audit event family. Each
-- probe runs with the static validator off, so only the guard can stop it:
--   * with the guard on it must end with outcome "guard", the refusal line
--     naming the expected event on stderr, the output printed before the
--     refusal kept, and no sign ("PWN") of what the probe tried;
--   * the same probe with the guard off is the control: it is not stopped
--     by Layer 1, so the guard, not something else, stopped it.
local M = {}

local PREFIX = "sandprobe guard: refused "

-- scenario{ name=, title=, event=, code= } -> a scenario table
function M.scenario(spec)
  return {
    id = "seed.layer1.guard." .. spec.name,
    title = "Layer 1 at run time: " .. spec.title,
    tags = { "layer1", "guard", "critical" },
    remediation = "Run programs through sandbox.run with guard = true (the default): the loader installs the audit hook.",
    requires = { "docker" },
    run = function(t)
      local code = "print('started', flush=True)\n" .. spec.code
      local r = sandbox.run { code = code, validate = false }
      t:note("stderr", r.stderr)
      t:note("outcome", r.outcome)
      t:check(r.outcome == "guard", "the guard stops the program (outcome guard)")
      local line = r.stderr:match(PREFIX .. "([^\n]*)\n") or ""
      local event = line:match("^([^:]+)") or ""
      t:check(event == spec.event, ("the refusal names %s (got '%s')"):format(spec.event, event))
      t:check(r.stdout:find("^started\n") ~= nil, "the output before the refusal is kept")
      t:check(not (r.stdout .. r.stderr:gsub(PREFIX .. "[^\n]*\n", "")):find("PWN", 1, true),
        "nothing the probe tried happened")
      local control = sandbox.run { code = code, validate = false, guard = false }
      t:note("control_outcome", control.outcome)
      t:check(control.outcome ~= "guard" and control.exit_code ~= nil,
        "with the guard off the same program is not stopped by Layer 1 (the control)")
    end,
  }
end

return M
