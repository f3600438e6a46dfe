-- The escape pack's syscall sweep: its plan and its verdicts
-- (scenarios/escape/lib/escape_sweep.lua), without a daemon.
local T = require("sandprobe.testing")

local SOURCE = (os.getenv("SANDPROBE_TESTS") or "tests") .. "/.."
local sweep = dofile(SOURCE .. "/scenarios/escape/lib/escape_sweep.lua")
local names = dofile(SOURCE .. "/scenarios/escape/lib/escape_syscalls.lua")

local function model(verdicts)
  return function(name) return verdicts[name] or "allow", verdicts[name] and 7 or nil end
end

T.test("the plan calls every named number but the ones that would end or fork the probe", function()
  local calls, left = sweep.plan({ [0] = "read", [2] = "exit", [3] = "mount", [5] = "clone" },
    model { mount = "EPERM" })
  T.eq(#calls, 2)
  T.eq(calls[1].name, "read")
  T.eq(calls[1].model, "allow")
  T.eq(calls[2].name, "mount")
  T.eq(calls[2].model, "EPERM")
  T.eq(calls[2].by_default, false)
  T.eq(#left, 4) -- 1 (no name), exit, 4 (no name), clone
  T.eq(left[1].nr, 1)
  T.eq(left[2].name, "exit")
  T.eq(left[4].name, "clone")
end)

T.test("consecutive numbers without a name are one range", function()
  local _, left = sweep.plan({ [0] = "read", [4] = "write" }, model {})
  T.eq(#left, 1)
  T.eq(left[1].nr, 1)
  T.eq(left[1].last, 3)
end)

T.test("a name the seccomp primitive does not know, or an action that ends the probe, is left out with why", function()
  local calls, left = sweep.plan({ [0] = "read", [1] = "brand_new" }, function(name)
    if name == "brand_new" then return nil, "unknown syscall" end
    return "kill_process"
  end)
  T.eq(#calls, 0)
  T.contains(left[1].reason, "kill_process")
  T.contains(left[2].reason, "unknown syscall")
end)

T.test("special arguments replace zeros", function()
  local calls = sweep.plan({ [101] = "ptrace" }, model {})
  T.eq(calls[1].args[1], 2)
end)

T.test("the verdicts", function()
  local refused = { nr = 165, name = "mount", model = "EPERM", by_default = false }
  local allowed = { nr = 0, name = "read", model = "allow" }
  local unnamed = { nr = 450, name = "new_call", model = "EPERM", by_default = true }
  T.eq(sweep.classify(refused, "EPERM", "EFAULT", 449), "filter")
  T.eq(sweep.classify(refused, "EPERM", "EPERM", 449), "filter-or-kernel")
  T.eq(sweep.classify(allowed, "EBADF", "EBADF", 449), "kernel")
  T.eq(sweep.classify(unnamed, "ENOSYS", "ok", 449), "runc-stub")
  -- an ignored profile: the refused call reached the kernel
  local class, why = sweep.classify(refused, "EFAULT", "EFAULT", 449)
  T.eq(class, "disagree")
  T.contains(why, "refuses it with EPERM")
  -- a filter refusing what the profile allows
  class, why = sweep.classify(allowed, "EPERM", "ok", 449)
  T.eq(class, "disagree")
  T.contains(why, "allows it")
  -- ENOSYS below the stub's threshold, or for a named rule, is no stub
  T.eq(sweep.classify({ nr = 300, model = "EPERM", by_default = true }, "ENOSYS", "ok", 449), "disagree")
  T.eq(sweep.classify({ nr = 450, model = "EPERM", by_default = false }, "ENOSYS", "ok", 449), "disagree")
  -- no answer is never agreement
  T.eq(sweep.classify(allowed, nil, "ok", 449), "disagree")
  T.eq(sweep.classify(allowed, "ok", nil, 449), "disagree")
  T.eq(sweep.classify(refused, "EPERM", nil, 449), "disagree")
end)

T.test("verdicts count classes and list disagreements; the table has a line per call", function()
  local calls = { { nr = 0, name = "read", model = "allow" }, { nr = 165, name = "mount", model = "EPERM" } }
  local rows, bad, counts = sweep.verdicts(calls, { ["0"] = "ok", ["165"] = "EFAULT" }, { ["0"] = "ok", ["165"] = "EFAULT" }, 449)
  T.eq(#rows, 2)
  T.eq(#bad, 1)
  T.eq(bad[1].name, "mount")
  T.eq(counts.kernel, 1)
  T.eq(counts.disagree, 1)
  local text = sweep.table_text(rows)
  T.contains(text, "mount")
  T.contains(text, "disagree: the profile refuses it with EPERM")
end)

T.test("the syscall table is x86_64's", function()
  T.eq(names[0], "read")
  T.eq(names[59], "execve")
  T.eq(names[165], "mount")
  T.eq(names[435], "clone3")
  local seccomp = require("seccomp")
  for nr, name in pairs(names) do
    local known = seccomp.syscall_number(name)
    if known then T.eq(known, nr, name) end
  end
end)

T.test("the Python plan lists every call with its arguments", function()
  local py = sweep.python { { nr = 101, args = { 2, 0 } }, { nr = 7, args = { 0 } } }
  T.contains(py, "(101, (2, 0))")
  T.contains(py, "(7, (0,))")
  T.contains(py, "report(out=out)")
end)
