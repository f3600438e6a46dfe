-- Kernel counters kept per uid across the whole host (RLIMIT_SIGPENDING,
-- fs.pipe-user-pages-soft, unix_inflight, inotify and epoll watches) are
-- shared by every process of one uid: with every sandbox as the same uid
-- (one a host user has too), one sandbox could fill them and starve the
-- others, and read them (SigQ in /proc/self/status) as a covert channel.
-- Each sandbox must run as a uid of its own, far from host users. The first
-- sandbox queues 64 real-time signals to itself (blocked, so only counted);
-- the second must see none of them in its SigQ. Safe: signals to itself.
local escape = require("escape")

local QUEUED = 64

local REPORT_UID = [=[
import pwd, signal
def sigq():
    for line in open("/proc/self/status"):
        if line.startswith("SigQ:"):
            return int(line.split()[1].split("/")[0])
def in_passwd(uid):
    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        return False
]=]

return escape.scenario {
  id = "escape.isolation.per_uid",
  title = "Each sandbox runs as a uid of its own: per-uid kernel counters (SigQ) are not shared",
  tags = { "isolation", "dos", "privilege" },
  references = { "T1499", "T1611" },
  remediation = "Keep user = \"@fresh\" in the target (a fresh uid per container, sandbox.fresh_user); "
    .. "never one fixed uid for every sandbox.",
  run = function(t)
    local holder_out, f = escape.beside_holder(t, REPORT_UID .. ([=[
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGRTMIN])
for _ in range(%d):
    os.kill(os.getpid(), signal.SIGRTMIN)
print("HOLDER", os.getuid(), sigq())
]=]):format(QUEUED), REPORT_UID .. [=[
report(uid=os.getuid(), sigq=sigq(), in_passwd=in_passwd(os.getuid()))
]=])
    local uid1, q1 = holder_out:match("HOLDER (%d+) (%d+)")
    uid1, q1 = tonumber(uid1), tonumber(q1)
    t:note("first sandbox", { uid = uid1, sigq = q1 })
    t:note("second sandbox", { uid = f.uid, sigq = f.sigq, in_image_passwd = f.in_passwd })
    if not uid1 then error("the first sandbox reported nothing: " .. holder_out:sub(-300), 0) end
    t:check(q1 >= QUEUED, ("the first sandbox queued its %d signals (SigQ %d)"):format(QUEUED, q1))
    t:check(uid1 ~= f.uid, ("the two sandboxes run as different uids (%d, %d)"):format(uid1, f.uid))
    for _, uid in ipairs { uid1, f.uid } do
      t:check(uid >= 100000, ("uid %d is far above host users and system accounts (>= 100000)"):format(uid))
    end
    t:check(not f.in_passwd, "the second sandbox's uid has no passwd entry in the image")
    t:check(f.sigq < QUEUED, ("the second sandbox's SigQ (%d) does not count the first one's %d signals"):format(f.sigq, QUEUED))
  end,
}
