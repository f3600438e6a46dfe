-- System V shared memory, semaphores and message queues are visible to
-- every process of one IPC namespace. The first sandbox tries to create one
-- of each under a fixed key; the second must see none of them (and, under
-- the hardened profile, the first cannot create them at all). Safe: objects
-- live and die with the sandbox's IPC namespace.
local escape = require("escape")

return escape.scenario {
  id = "escape.isolation.sysv_ipc",
  title = "System V IPC objects of one sandbox are invisible to another",
  tags = { "isolation", "layer3" },
  references = { "T1559" },
  remediation = "Keep ipc = \"none\" (a private IPC namespace) and the IPC calls in hardened.escape_syscalls.",
  run = function(t)
    local holder_out, f = escape.beside_holder(t, [=[
KEY = 0x53504543
print("shmget", call("shmget", KEY, 4096, 0o1600))
print("semget", call("semget", KEY, 1, 0o1600))
print("msgget", call("msgget", KEY, 0o1600))
]=], [=[
seen = {}
for kind in ("shm", "sem", "msg"):
    try:
        rows = open("/proc/sysvipc/" + kind).read().splitlines()[1:]
        seen[kind] = [r.split()[0] for r in rows]
    except OSError as e:
        seen[kind] = ["?" + errname(e.errno)]
report(seen=seen)
]=], { "shmget", "semget", "msgget" })
    t:note("holder", holder_out)
    t:note("second_sees", f.seen)
    for _, kind in ipairs { "shm", "sem", "msg" } do
      local keys = f.seen[kind]
      t:check(#keys == 0, ("the second sandbox lists no %s object (%s)"):format(kind, table.concat(keys, ",")))
    end
  end,
}
