-- The syscall sweep's plan and verdict, kept free of the daemon so the
-- classification is tested on its own (tests/lua/test_escape_sweep.lua).
--
-- Every x86_64 syscall number is called inside the sandbox with harmless
-- arguments (zeros, unless ARGS says otherwise), and once more in a control
-- sandbox that differs only by having no seccomp filter. For each call:
--   model    what the seccomp primitive says the sandbox's profile does
--            ("allow", or the errno name it answers with)
--   observed what the call returned in the sandbox ("ok" or an errno name)
--   control  what it returned with no filter (the kernel's own answer)
-- and the verdict (classify):
--   filter            the profile refuses it, the sandbox saw that errno,
--                     and the kernel alone answers otherwise
--   filter-or-kernel  refused with the profile's errno, and the kernel alone
--                     answers the same (e.g. EPERM for a missing capability)
--   kernel            the profile allows it and the sandbox got the kernel's
--                     own answer
--   runc-stub         the profile does not name it, it is newer than every
--                     syscall the profile names, and the sandbox saw ENOSYS:
--                     runc's stub for syscalls its libseccomp may not know
--   disagree          anything else: the sandbox does not do what the
--                     profile says (an ignored profile, a different one)
local M = {}

-- Numbers the sweep does not call, and why (each is checked elsewhere or
-- would end, stop or fork the probe itself when no filter stands in its way).
M.NOT_CALLED = {
  exit = "ends the probe", exit_group = "ends the probe",
  rt_sigreturn = "restores a garbage signal frame", pause = "blocks until a signal",
  rt_sigsuspend = "blocks until a signal",
  select = "blocks forever with these arguments", pselect6 = "blocks forever with these arguments",
  ppoll = "blocks forever with these arguments", msgrcv = "may block on a queue the control made",
  fork = "makes a process where no filter stands (escape.kernel.process_creation)",
  vfork = "makes a process sharing the probe's stack (escape.kernel.process_creation)",
  clone = "makes a process or a thread on the probe's stack (escape.kernel.clone_namespaces)",
  clone3 = "makes a process where no filter stands (escape.kernel.clone_namespaces)",
  seccomp = "strict mode would end the probe",
}

-- Arguments other than zeros, where zeros could have a lasting effect.
M.ARGS = {
  ptrace = { 2, 0, 0, 0 },   -- PTRACE_PEEKDATA of pid 0 (ESRCH), not PTRACE_TRACEME
}

-- The numbers to call: {nr, name, args}, and the ones left out with why.
-- names: {[nr] = name}; verdict(name, args) -> "allow" | errno name | other
-- action name | nil, message (a name the seccomp primitive does not know).
function M.plan(names, verdict)
  local calls, left_out, highest = {}, {}, -1
  for nr in pairs(names) do if nr > highest then highest = nr end end
  for nr = 0, highest do
    local name = names[nr]
    if not name then
      local last = left_out[#left_out]
      if last and not last.name and last.last == nr - 1 then
        last.last = nr
      else
        left_out[#left_out + 1] = { nr = nr, last = nr, reason = "no syscall has this number in the table" }
      end
    elseif M.NOT_CALLED[name] then
      left_out[#left_out + 1] = { nr = nr, name = name, reason = M.NOT_CALLED[name] }
    else
      local args = M.ARGS[name] or { 0, 0, 0, 0, 0, 0 }
      local model, rule_or_err = verdict(name, args)
      if model == nil then
        left_out[#left_out + 1] = { nr = nr, name = name, reason = "unknown to the seccomp primitive: " .. tostring(rule_or_err) }
      elseif model ~= "allow" and not model:match("^E") then
        left_out[#left_out + 1] = { nr = nr, name = name, reason = "the profile's action is " .. model .. ", which would end the probe" }
      else
        calls[#calls + 1] = { nr = nr, name = name, args = args, model = model, by_default = rule_or_err == nil }
      end
    end
  end
  return calls, left_out
end

-- The verdict for one call (see the file's head). stub_above: the highest
-- number the profile names (runc's ENOSYS stub starts above it).
function M.classify(call, observed, control, stub_above)
  local model = call.model
  if observed == nil then return "disagree", "no answer from the sandbox" end
  if model ~= "allow" then
    if observed == model then
      if control == nil then return "disagree", "no control answer" end
      return control == model and "filter-or-kernel" or "filter"
    end
    if call.by_default and observed == "ENOSYS" and stub_above and call.nr > stub_above then
      return "runc-stub"
    end
    return "disagree", ("the profile refuses it with %s, the sandbox answered %s"):format(model, observed)
  end
  if control == nil then return "disagree", "no control answer" end
  if observed == control then return "kernel" end
  return "disagree", ("the profile allows it, the sandbox answered %s where the kernel answers %s"):format(observed, control)
end

-- Classifies every call. Returns rows ({nr, name, model, observed, control,
-- class, problem}), the disagreeing rows, and counts by class.
function M.verdicts(calls, observed, control, stub_above)
  local rows, disagreements, counts = {}, {}, {}
  for _, c in ipairs(calls) do
    local key = tostring(c.nr)
    local class, problem = M.classify(c, observed[key], control[key], stub_above)
    local row = { nr = c.nr, name = c.name, model = c.model, observed = observed[key],
                  control = control[key], class = class, problem = problem }
    rows[#rows + 1] = row
    counts[class] = (counts[class] or 0) + 1
    if class == "disagree" then disagreements[#disagreements + 1] = row end
  end
  return rows, disagreements, counts
end

-- The table for the evidence: one line per call.
function M.table_text(rows)
  local lines = { ("%-4s %-24s %-8s %-14s %-14s %s"):format("nr", "name", "profile", "sandbox", "no filter", "verdict") }
  for _, r in ipairs(rows) do
    lines[#lines + 1] = ("%-4d %-24s %-8s %-14s %-14s %s"):format(r.nr, r.name, r.model, tostring(r.observed),
      tostring(r.control), r.class .. (r.problem and (": " .. r.problem) or ""))
  end
  return table.concat(lines, "\n")
end

-- Python that calls every planned number and reports {nr: "ok" | errno}.
-- After each call the descriptors are put back as they were (a descriptor a
-- call made is closed, fd 0 closed by close(0) is reopened on /dev/null), so
-- that no answer depends on what an earlier call did: the sandbox and the
-- control, which refuse different calls, then ask the kernel the same thing.
function M.python(calls)
  local items = {}
  for _, c in ipairs(calls) do
    items[#items + 1] = ("(%d, (%s))"):format(c.nr, table.concat(c.args, ", ") .. (#c.args == 1 and "," or ""))
  end
  return "PLAN = [" .. table.concat(items, ", ") .. "]\n" .. [[
def open_fds():
    d = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)   # the listing's own descriptor is left out
    try:
        return set(int(x) for x in os.listdir(d)) - {d}
    finally:
        os.close(d)
devnull = os.open("/dev/null", os.O_RDONLY)
os.dup2(devnull, 0)
libc()
before = open_fds()
out = {}
for nr, args in PLAN:
    r, e = raw(nr, *args)
    out[str(nr)] = "ok" if r != -1 else errname(e)
    now = open_fds()
    for fd in now - before:
        try:
            os.close(fd)
        except OSError:
            pass
    for fd in before - now:
        os.dup2(devnull, fd)
report(out=out)
]]
end

return M
