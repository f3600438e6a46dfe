-- The syscall sweep: every x86_64 syscall number is called in the sandbox
-- with harmless arguments, and once more in a control sandbox without a
-- seccomp filter; each is classified as refused by the filter or reaching
-- the kernel and compared with what the seccomp primitive says the
-- sandbox's profile does for its capabilities (lib/escape_sweep.lua). A
-- profile the runtime ignores (gVisor, a runtime without seccomp) shows up
-- as disagreements.
local escape = require("escape")
local sweep = require("escape_sweep")
local names = require("escape_syscalls")

return escape.scenario {
  id = "escape.kernel.syscall_sweep",
  title = "Every syscall does in the sandbox what the seccomp profile says",
  tags = { "layer4", "seccomp", "kernel", "sweep", "critical" },
  references = { "T1611", "T1068", "CVE-2022-0185", "CVE-2022-0492" },
  remediation = "Run the sandbox on a runtime that applies the profile (runc, crun); when a syscall disagrees, "
    .. "fix the profile in lua/sandprobe/profiles/hardened.lua or the runtime, never the expectation.",
  timeout = 60,
  run = function(t)
    local o = escape.options()
    local profile <close> = escape.profile(o)
    local calls, left_out = sweep.plan(names, function(name, args)
      if not seccomp.syscall_number(name) then return nil, "unknown syscall number on this machine" end
      return escape.verdict(profile, name, args)
    end)
    local stub_above = -1
    for _, name in ipairs(profile and profile:syscalls() or {}) do
      local nr = seccomp.syscall_number(name)
      if nr and nr > stub_above then stub_above = nr end
    end
    local code = sweep.python(calls)
    local observed = escape.facts(t, code, { timeout = 30 }).out
    -- The control differs from the sandbox by its seccomp filter alone.
    local control = escape.facts(t, code, { timeout = 30, seccomp = "unconfined" }).out
    local rows, disagreements, counts = sweep.verdicts(calls, observed, control, stub_above)
    local left = {}
    for _, l in ipairs(left_out) do
      local nrs = (l.last and l.last ~= l.nr) and (l.nr .. "-" .. l.last) or tostring(l.nr)
      left[#left + 1] = ("%s %s: %s"):format(nrs, l.name or "-", l.reason)
    end
    t:note("profile", tostring(o.seccomp))
    t:note("capabilities", table.concat(escape.capabilities(o), ",") ~= "" and table.concat(escape.capabilities(o), ",") or "none")
    t:note("counts", counts)
    t:note("table", sweep.table_text(rows))
    t:note("not_called", table.concat(left, "\n"))
    t:check(#calls >= 300, ("the sweep called %d syscall numbers"):format(#calls))
    local problems = {}
    for _, r in ipairs(disagreements) do problems[#problems + 1] = ("%s(%d): %s"):format(r.name, r.nr, r.problem) end
    t:check(#disagreements == 0, #disagreements == 0 and "the sandbox agrees with the profile on every syscall"
      or ("%d syscalls disagree with the profile: %s"):format(#disagreements, table.concat(problems, "; ")))
  end,
}
