-- The seccomp module from Lua, and the hardened profile of the sandbox.
local T = require("sandprobe.testing")
local seccomp = require("seccomp")
local json = require("json")

local TESTS = os.getenv("SANDPROBE_TESTS") or "tests"
local EPERM, ENOSYS = seccomp.errno("EPERM"), seccomp.errno("ENOSYS")
local FORK_FLAGS = 0x1200011     -- glibc fork(): CHILD_SETTID|CHILD_CLEARTID|SIGCHLD
local THREAD_FLAGS = 0x3d0f00    -- glibc pthread_create
local ALL_CAPS = { "CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE", "CAP_SYS_BOOT",
  "CAP_SYS_TIME", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYSLOG", "CAP_DAC_READ_SEARCH",
  "CAP_SYS_PACCT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_BPF", "CAP_PERFMON" }

T.test("errno names", function()
  T.eq(EPERM, 1)
  T.eq(ENOSYS, 38)
  T.eq(seccomp.errno("ENOPE"), nil)
  T.eq(seccomp.syscall_number("read"), 0)
  local nr, err = seccomp.syscall_number("no_such_syscall")
  T.eq(nr, nil)
  T.contains(err, "unknown syscall")
end)

T.test("Docker's profiles load", function()
  -- 20.10.24 as the project ships it, the newest as a fixture (tests/fixtures/seccomp/README.md)
  for _, path in ipairs { (os.getenv("SANDPROBE_PROFILES") or "lua/sandprobe/profiles") .. "/docker-default.json",
                          TESTS .. "/fixtures/seccomp/moby-default-newest.json" } do
    local p = assert(seccomp.load(path))
    T.eq(p:action("read"), "allow")
    local action, errno = p:action("mount")
    T.eq(action, "errno")
    T.eq(errno, EPERM)
    T.ok(#p:syscalls() > 300)
  end
  local p = assert(seccomp.default_profile())
  T.eq(#p:warnings(), 0)
  T.eq(#p:capabilities(), 14)
end)

T.test("load and parse errors come back as nil, message", function()
  local p, err = seccomp.load(TESTS .. "/fixtures/seccomp/unknown-op.json")
  T.eq(p, nil)
  T.contains(err, 'syscalls[2].args[0].op: unknown operator "SCMP_CMP_FOO"')
  p, err = seccomp.parse('{"defaultAction": "SCMP_ACT_NOPE"}')
  T.eq(p, nil)
  T.eq(err, 'defaultAction: unknown action "SCMP_ACT_NOPE"')
  p, err = seccomp.parse("{")
  T.eq(p, nil)
  T.contains(err, "invalid JSON at line 1")
  p, err = seccomp.load("/nonexistent/profile.json")
  T.eq(p, nil)
  T.contains(err, "No such file or directory")
end)

T.test("action answers with errno and the deciding rule", function()
  local p = assert(seccomp.parse(json.encode {
    defaultAction = "SCMP_ACT_ERRNO",
    syscalls = {
      { names = { "read", "write" }, action = "SCMP_ACT_ALLOW" },
      { names = { "personality" }, action = "SCMP_ACT_ALLOW",
        args = { { index = 0, value = 8, op = "SCMP_CMP_EQ" } } },
      { names = { "getpid" }, action = "SCMP_ACT_ERRNO", errnoRet = 13 },
      { names = { "no_such_syscall" }, action = "SCMP_ACT_ALLOW" },
    },
  }))
  local action, errno, rule = p:action("write")
  T.eq(action, "allow"); T.eq(errno, nil); T.eq(rule, 1)
  action, errno, rule = p:action("personality", { 8 })
  T.eq(action, "allow"); T.eq(rule, 2)
  action, errno, rule = p:action("personality", { 9 })
  T.eq(action, "errno"); T.eq(errno, EPERM); T.eq(rule, nil)
  action, errno, rule = p:action("getpid")
  T.eq(action, "errno"); T.eq(errno, 13); T.eq(rule, 3)
  T.eq(#p:warnings(), 1)
  T.contains(p:warnings()[1], 'syscalls[3].names[0]: unknown syscall "no_such_syscall"')
  local ok, err = p:action("no_such_syscall")
  T.eq(ok, nil)
  T.contains(err, "unknown syscall")
  T.raises(function() p:action("read", { "x" }) end, "arguments must be integers")
  T.raises(function() p:action("read", { 1, 2, 3, 4, 5, 6, 7 }) end, "at most 6 arguments")
end)

T.test("changes: deny, allow, remove, clone without CLONE_THREAD", function()
  local p = assert(seccomp.default_profile())
  T.eq(p:action("clone", { FORK_FLAGS }), "allow")
  T.eq(p:deny { "fork", "vfork", errno = "EPERM" }, p) -- chains
  p:deny { "clone3", errno = "ENOSYS" }:deny_clone_without_thread()
  local _, errno = p:action("fork")
  T.eq(errno, EPERM)
  _, errno = p:action("clone3")
  T.eq(errno, ENOSYS)
  T.eq(p:action("clone", { FORK_FLAGS }), "errno")
  T.eq(p:action("clone", { THREAD_FLAGS }), "allow")
  p:allow { "mount" }
  T.eq(p:action("mount"), "allow")
  p:remove { "mount", "read" }
  T.eq(p:action("mount"), "errno")
  T.eq(p:action("read"), "errno")
  p:deny { "write", errno = 5 }
  T.eq(select(2, p:action("write")), 5)
  T.raises(function() p:deny {} end, "no syscall names given")
  T.raises(function() p:deny { "read", errno = "ENOPE" } end, "unknown errno ENOPE")
  T.raises(function() p:deny { "read", errno = 9999 } end, "errno out of range")
  T.raises(function() p:allow { 42 } end, "name 1 is not a string")
end)

T.test("capabilities select Docker's includes/excludes", function()
  local p = assert(seccomp.default_profile())
  T.eq(p:action("chroot"), "allow") -- CAP_SYS_CHROOT is a default capability
  T.eq(p:capabilities {}, p)
  T.eq(#p:capabilities(), 0)
  T.eq(p:action("chroot"), "errno")
  p:capabilities { "sys_admin" }
  T.eq(p:capabilities()[1], "CAP_SYS_ADMIN")
  T.eq(p:action("mount"), "allow")
  p:capabilities("default")
  T.eq(#p:capabilities(), 14)
  T.raises(function() p:capabilities("all") end, "expected a list of capabilities")
end)

T.test("JSON export round trip, BPF and PFC", function()
  local p = assert(seccomp.default_profile())
  p:deny_clone_without_thread()
  local text = p:to_json()
  T.ok(not text:find("\n"), "compact")
  local decoded = assert(json.decode(text))
  T.eq(decoded.defaultAction, "SCMP_ACT_ERRNO")
  local again = assert(seccomp.parse(text))
  T.eq(again:to_json(), text)
  local bpf = assert(p:bpf())
  T.ok(#bpf > 0 and #bpf % 8 == 0, "BPF is whole sock_filter instructions")
  T.contains(assert(p:pfc()), "pseudo filter code")
  local copy = p:copy()
  copy:allow { "fork" }
  T.eq(copy:action("fork"), "allow")
  T.eq(p:action("fork"), "allow") -- the default allows fork; the copy changed alone
  p:deny { "fork" }
  T.eq(copy:action("fork"), "allow")
  T.eq(p:action("fork"), "errno")
end)

T.test("a closed profile refuses use", function()
  local p = assert(seccomp.default_profile())
  do
    local q <close> = p
  end
  T.raises(function() p:action("read") end, "profile is closed")
  p:close() -- idempotent
  T.contains(tostring(p), "closed")
end)

-- The sandbox's Layer 4.
local hardened = require("sandprobe.profiles.hardened")

T.test("hardened: every name is known, no warnings", function()
  local p = hardened()
  T.eq(#p:warnings(), 0, table.concat(p:warnings(), "; "))
  T.eq(#p:capabilities(), 0, "built for --cap-drop ALL")
end)

T.test("hardened: process creation refused, threads allowed, whatever the capabilities", function()
  for _, caps in ipairs { {}, "default", ALL_CAPS } do
    local p = hardened { capabilities = caps }
    local action, errno = p:action("fork")
    T.eq(action, "errno"); T.eq(errno, EPERM)
    action, errno = p:action("vfork")
    T.eq(action, "errno"); T.eq(errno, EPERM)
    action, errno = p:action("clone3")
    T.eq(action, "errno"); T.eq(errno, ENOSYS)
    action, errno = p:action("clone", { FORK_FLAGS })
    T.eq(action, "errno"); T.eq(errno, EPERM)
    action, errno = p:action("clone", { 0x20000 | FORK_FLAGS }) -- CLONE_NEWNS
    T.eq(action, "errno"); T.eq(errno, EPERM)
    T.eq(p:action("clone", { THREAD_FLAGS }), "allow")
    for _, name in ipairs { "read", "write", "openat", "mmap", "futex", "execve", "exit_group" } do
      T.eq(p:action(name), "allow", name)
    end
  end
end)

T.test("hardened: escape syscalls refused whatever the capabilities", function()
  local p = hardened { capabilities = ALL_CAPS }
  local default = assert(seccomp.default_profile()):capabilities(ALL_CAPS)
  local opened_by_caps = 0
  for _, name in ipairs(hardened.escape_syscalls) do
    if seccomp.syscall_number(name) then -- some exist only on other architectures
      local action, errno = p:action(name)
      T.eq(action, "errno", name)
      T.eq(errno, EPERM, name)
      if default:action(name) == "allow" then opened_by_caps = opened_by_caps + 1 end
    end
  end
  -- Proof that the explicit denials matter: with these capabilities Docker's
  -- default opens many of them.
  T.ok(opened_by_caps >= 20, "Docker's default allows " .. opened_by_caps .. " with capabilities")
  -- personality keeps Docker's restriction: ADDR_NO_RANDOMIZE is refused
  T.eq(p:action("personality", { 0x0040000 }), "errno")
  T.eq(p:action("personality", { 0 }), "allow")
end)

T.test("hardened: socket families beyond AF_UNIX/INET/INET6 refused, memfd and IPC objects too", function()
  for _, caps in ipairs { {}, ALL_CAPS } do
    local p = hardened { capabilities = caps }
    for _, family in ipairs { 1, 2, 10 } do
      T.eq(p:action("socket", { family, 1, 0 }), "allow", "family " .. family)
      T.eq(p:action("socketpair", { family, 1, 0 }), "allow", "socketpair family " .. family)
    end
    for _, family in ipairs { 0, 16, 17, 38, 40, 44 } do
      local action, errno = p:action("socket", { family, 1, 0 })
      T.eq(action, "errno", "family " .. family)
      T.eq(errno, EPERM, "family " .. family)
    end
    for _, name in ipairs { "memfd_create", "execveat", "mq_open", "shmget", "semget", "msgget" } do
      T.eq(p:action(name), "errno", name)
    end
  end
  -- Docker's default (20.10) allows AF_VSOCK: the restriction is the change
  T.eq(assert(seccomp.default_profile()):action("socket", { 40, 1, 0 }), "allow")
  T.raises(function() hardened():allow_only_arg0 { "socket", values = {} } end, "values must hold")
  T.raises(function() hardened():allow_only_arg0 { "socket", values = { -1 } } end, "non-negative")
  T.raises(function() hardened():allow_only_arg0 { "socket" } end, "values must be a list")
end)

T.test("hardened: the JSON Docker gets carries the changes", function()
  local decoded = assert(json.decode(hardened():to_json()))
  local clone_rules, clone3_errno = 0, nil
  for _, rule in ipairs(decoded.syscalls) do
    for _, name in ipairs(rule.names) do
      if name == "clone" then
        clone_rules = clone_rules + 1
        T.eq(rule.includes, nil, "no capability brings clone back")
        T.eq(rule.excludes, nil, "no capability brings clone back")
        T.eq(rule.args[1].op, "SCMP_CMP_MASKED_EQ")
        T.eq(rule.args[1].value, 0x10000)
      elseif name == "clone3" then
        clone3_errno = rule.errnoRet
      end
    end
  end
  T.eq(clone_rules, 2)
  T.eq(clone3_errno, ENOSYS)
end)

T.test("hardened: one entry point, native x86_64 only; socketcall and ipc refused", function()
  local decoded = assert(json.decode(hardened():to_json()))
  T.eq(decoded.archMap, nil, "no archMap with sub-architectures")
  T.eq(#decoded.architectures, 1)
  T.eq(decoded.architectures[1], "SCMP_ARCH_X86_64")
  local refused = {}
  for _, rule in ipairs(decoded.syscalls) do
    for _, name in ipairs(rule.names) do
      if name == "socketcall" or name == "ipc" then
        T.eq(rule.action, "SCMP_ACT_ERRNO", name)
        refused[name] = true
      end
    end
  end
  T.ok(refused.socketcall and refused.ipc, "both multiplexers have an explicit refusal")
  -- Docker's default admits the i386 and x32 entry points: the restriction is the change
  local default = assert(json.decode(assert(seccomp.default_profile()):to_json()))
  T.eq(default.archMap[1].subArchitectures[1], "SCMP_ARCH_X86")
end)

T.test("hardened: W^X for mmap, mprotect and pkey_mprotect; fadvise64 refused", function()
  for _, caps in ipairs { {}, ALL_CAPS } do
    local p = hardened { capabilities = caps }
    local R, W, X = 1, 2, 4
    T.eq(p:action("mmap", { 0, 4096, R | W, 0x22, -1, 0 }), "allow", "RW")
    T.eq(p:action("mmap", { 0, 4096, R | X, 0x2, 3, 0 }), "allow", "RX (ld.so mapping code)")
    T.eq(p:action("mmap", { 0, 4096, 0, 0x22, -1, 0 }), "allow", "PROT_NONE (guard pages)")
    for _, prot in ipairs { R | W | X, W | X } do
      local action, errno = p:action("mmap", { 0, 4096, prot, 0x22, -1, 0 })
      T.eq(action, "errno", "mmap prot " .. prot); T.eq(errno, EPERM)
    end
    for _, name in ipairs { "mprotect", "pkey_mprotect" } do
      T.eq(p:action(name, { 0, 4096, R }), "allow", name .. " RELRO to read-only")
      T.eq(p:action(name, { 0, 4096, R | W }), "allow", name .. " RW")
      for _, prot in ipairs { X, R | X, R | W | X } do
        local action, errno = p:action(name, { 0, 4096, prot })
        T.eq(action, "errno", name .. " prot " .. prot); T.eq(errno, EPERM)
      end
    end
    local action, errno = p:action("fadvise64", { 0, 0, 0, 4 })
    T.eq(action, "errno"); T.eq(errno, EPERM)
  end
  T.eq(assert(seccomp.default_profile()):action("mmap", { 0, 4096, 7, 0x22, -1, 0 }), "allow")
end)
