-- POSIX message queues are per IPC namespace and appear in /dev/mqueue. The
-- first sandbox tries to make one (mq_open and a file in /dev/mqueue); the
-- second must see nothing. Safe: queues die with the IPC namespace.
local escape = require("escape")

return escape.scenario {
  id = "escape.isolation.mqueue",
  title = "POSIX message queues of one sandbox are invisible to another",
  tags = { "isolation", "layer3" },
  references = { "T1559" },
  remediation = "Keep ipc = \"none\", the mq_* calls refused (hardened.escape_syscalls) and /dev/mqueue covered read-only.",
  run = function(t)
    local holder_out, f = escape.beside_holder(t, [=[
ctypes = need("ctypes")
name = ctypes.c_char_p(b"/sandprobe-escape")
r, e = raw(SYSCALLS["mq_open"], name, 0o100 | 2, 0o600, 0)
print("mq_open", "ok" if r != -1 else errname(e))
print("file", try_(lambda: os.close(os.open("/dev/mqueue/sandprobe-escape-file", os.O_CREAT | os.O_WRONLY, 0o600))))
]=], [=[
ctypes = need("ctypes")
r, e = raw(SYSCALLS["mq_open"], ctypes.c_char_p(b"/sandprobe-escape"), 2, 0, 0)
report(listing=sorted(os.listdir("/dev/mqueue")), open_existing="ok" if r != -1 else errname(e))
]=], { "mq_open" })
    t:note("holder", holder_out)
    t:note("second_lists", table.concat(f.listing, ","))
    t:note("second_opens", f.open_existing)
    t:check(#f.listing == 0, "the second sandbox's /dev/mqueue is empty")
    t:check(f.open_existing ~= "ok", "the second cannot open the first's queue (" .. f.open_existing .. ")")
  end,
}
