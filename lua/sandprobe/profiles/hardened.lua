-- The sandbox's Layer 4: Docker's default seccomp profile, hardened.
--
--   local hardened = require("sandprobe.profiles.hardened")
--   local profile = hardened()                 -- a fresh profile each call
--   security_opt = "seccomp=" .. profile:to_json()
--
-- What changes from Docker's default, and why:
--  * Process creation is refused, threads keep working. glibc's fork() and
--    posix_spawn are clone() without CLONE_THREAD; pthread_create is clone3()
--    and, when that says ENOSYS, clone() with CLONE_THREAD. So: fork and vfork
--    get EPERM, clone3 gets ENOSYS (libc falls back to clone), and clone is
--    allowed only with CLONE_THREAD set (EPERM otherwise). Docker's own clone
--    rules (by capability and architecture) are removed, so no capability
--    brings fork back.
--  * Escape hatches are refused outright. Docker's default blocks many of them
--    only for containers lacking a capability (CAP_SYS_ADMIN, CAP_SYS_PTRACE,
--    CAP_SYS_MODULE...) and allows some to everyone (ptrace since 4.8,
--    io_uring); here they are denied whatever the capabilities.
--  * personality() keeps Docker's restriction to the harmless personas.
--  * socket() and socketpair() only for AF_UNIX, AF_INET, AF_INET6.
--  * No memfd_create/execveat, no POSIX or System V IPC objects.
--  * One syscall entry point: native x86_64 only. Docker's archMap also
--    admits the i386 (int 0x80) and x32 entry points, whose socketcall and
--    ipc multiplexers hide the socket family and the IPC operation behind a
--    pointer no argument filter can read; with only SCMP_ARCH_X86_64 in the
--    filter, a syscall of any other architecture meets libseccomp's
--    bad-architecture action (the thread is killed), never the allow list.
--    socketcall and ipc are refused outright as well (defence in depth).
--  * W^X, as systemd's MemoryDenyWriteExecute: mmap may not ask for memory
--    both writable and executable, mprotect/pkey_mprotect may not add
--    PROT_EXEC; ld.so maps code read+exec from files, which stays allowed.
--  * No fadvise64: evicting pages of shared image files is a timing channel
--    between sandboxes (the page cache itself stays a residual one).
-- The profile's capabilities (used for :action answers) are the empty set,
-- matching the sandbox's --cap-drop ALL; the JSON Docker gets is the same
-- whatever the capabilities, since every change holds for all of them.
local seccomp = require("seccomp")
local json = require("json")

local M = {}

-- Refused with EPERM: creating processes (threads stay allowed through clone).
M.process_creation = { "fork", "vfork" }

-- Refused with ENOSYS so that glibc falls back to clone(), which the clone
-- rule then judges by CLONE_THREAD.
M.fallback_to_clone = { "clone3" }

-- Refused with EPERM whatever the container's capabilities.
M.escape_syscalls = {
  -- mounts and the new mount API
  "mount", "umount", "umount2", "pivot_root", "chroot",
  "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
  -- namespaces
  "unshare", "setns",
  -- other processes' memory and file descriptors
  "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
  -- loading code into the kernel, kernel interfaces with a history of exploits
  "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
  "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
  "io_uring_register", "fanotify_init",
  -- the kernel keyring
  "keyctl", "add_key", "request_key",
  -- file handles bypass path-based checks (the "shocker" escape)
  "open_by_handle_at", "name_to_handle_at",
  -- hardware and host state
  "iopl", "ioperm", "swapon", "swapoff", "reboot", "syslog", "acct", "vhangup",
  "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "stime",
  "sethostname", "setdomainname", "lookup_dcookie", "quotactl", "quotactl_fd",
  "nfsservctl", "uselib", "_sysctl", "sysfs", "ustat",
  -- anonymous executable memory files: with memfd_create + execveat/fexecve a
  -- native binary runs from memory despite the noexec /tmp
  "memfd_create", "memfd_secret", "execveat",
  -- IPC a program does not need; POSIX queues and System V objects live in
  -- the sandbox's own IPC namespace, refused here so none can be made at all
  "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
  "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop", "semctl",
  "msgget", "msgsnd", "msgrcv", "msgctl",
  -- per-user kernel objects with a small host-wide quota (fs.inotify.
  -- max_user_instances, 128): refused outright, whatever uid the sandbox
  -- runs as (each sandbox has its own by default, sandbox.fresh_user)
  "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch",
  -- the i386 multiplexers (only reachable through a foreign entry point,
  -- which the architecture list already closes) and page-cache eviction
  "socketcall", "ipc", "fadvise64",
}

-- The only syscall entry point the filter admits (no sub-architectures).
M.architectures = { "SCMP_ARCH_X86_64" }

local PROT_WRITE, PROT_EXEC = 0x2, 0x4

-- W^X: these calls are allowed only when argument 2 (prot) passes one of
-- the masked compares listed (ORed); otherwise the profile's default, EPERM.
M.write_xor_execute = {
  { names = { "mmap" }, without = { PROT_EXEC, PROT_WRITE } },
  { names = { "mprotect", "pkey_mprotect" }, without = { PROT_EXEC } },
}

-- The only socket families allowed (socket() and socketpair() argument 0):
-- AF_UNIX (1), AF_INET (2) and AF_INET6 (10), the families a program uses on
-- loopback inside its empty network namespace. Every other family (AF_VSOCK,
-- whose ports are shared with every sandbox and the host VM; AF_NETLINK;
-- AF_PACKET; AF_ALG; ...) gets the profile's default action: EPERM.
M.socket_families = { 1, 2, 10 }

-- Builds the hardened profile; options.capabilities (default: none, as with
-- --cap-drop ALL) selects the capabilities :action answers for.
--
-- options.gvisor: the profile for gVisor (runsc --oci-seccomp). gVisor
-- (release 2022-12-19, Debian 12's) applies a profile's ERRNO actions with
-- EPERM whatever their errnoRet, so clone3 would answer EPERM, glibc would
-- not fall back to clone, and no thread could start. gVisor does not
-- implement clone3 itself (it answers ENOSYS), so there clone3 is left to
-- gVisor; the seed pack checks on every runtime that clone3 answers ENOSYS,
-- so a gVisor that implements clone3 fails that check instead of slipping by.
function M.build(options)
  options = options or {}
  local profile = assert(seccomp.default_profile())
  profile:deny { errno = "EPERM", table.unpack(M.process_creation) }
  if options.gvisor then
    profile:remove(M.fallback_to_clone)
    profile:allow(M.fallback_to_clone)
  else
    profile:deny { errno = "ENOSYS", table.unpack(M.fallback_to_clone) }
  end
  profile:deny_clone_without_thread()
  profile:deny { errno = "EPERM", table.unpack(M.escape_syscalls) }
  profile:allow_only_arg0 { "socket", "socketpair", values = M.socket_families }
  profile = M.restrict(profile)
  profile:capabilities(options.capabilities or {})
  return profile
end

-- The changes the profile primitive has no method for (the architecture
-- list, masked argument compares), made on its JSON: returns a new profile.
function M.restrict(profile)
  for _, rule in ipairs(M.write_xor_execute) do profile:remove(rule.names) end
  local doc = json.decode(profile:to_json())
  profile:close()
  doc.archMap = nil
  doc.architectures = M.architectures
  for _, rule in ipairs(M.write_xor_execute) do
    for _, bit in ipairs(rule.without) do
      doc.syscalls[#doc.syscalls + 1] = {
        names = rule.names, action = "SCMP_ACT_ALLOW",
        args = { { index = 2, value = bit, valueTwo = 0, op = "SCMP_CMP_MASKED_EQ" } },
      }
    end
  end
  return assert(seccomp.parse(json.encode(doc)))
end

return setmetatable(M, {
  __call = function(_, options) return M.build(options) end,
})
