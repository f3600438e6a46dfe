-- A 64-bit process can still enter the kernel through the i386 entry point
-- (int 0x80) when the filter admits SCMP_ARCH_X86: there socketcall and ipc
-- multiplex socket() and the System V calls behind a pointer no argument
-- filter reads, so AF_VSOCK, netlink and SysV objects come back; the x32
-- ABI (bit 30 of the number) is a third entry point. Each foreign
-- call runs in its own thread: refused means an error return or the thread
-- killed by the filter's bad-architecture action, never a descriptor or id.
-- The stub needs executable memory, which the sandbox's W^X rules refuse;
-- so the calls run in a sandbox whose profile is the one under test with
-- mmap/mprotect allowed, measuring the entry-point rule alone. Safe: every
-- object a call could make is closed at once and dies with the container.
local escape = require("escape")

local PROBE = [=[
import threading
ctypes = need("ctypes")
_l = libc()
_l.mmap.restype = ctypes.c_void_p
_l.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
page = _l.mmap(None, 8192, 7, 0x22 | 0x40, -1, 0)  # RWX, MAP_32BIT: the stub and its argument block
if page in (None, 2**64 - 1):
    report(skip="no executable page for the i386 stub: " + errname(ctypes.get_errno()))
    raise SystemExit(0)
# push rbx; push rbp; r11=rcx; eax=edi (nr); ebx=esi; ecx=edx; edx=r11d; esi=r8d; edi=r9d; ebp=0; int 0x80; movslq eax; pop; pop; ret
STUB = bytes.fromhex("5355" "4989cb" "89f8" "89f3" "89d1" "4489da" "4489c6" "4489cf" "31ed" "cd80" "4863c0" "5d5b" "c3")
ctypes.memmove(page, STUB, len(STUB))
sys32 = ctypes.CFUNCTYPE(ctypes.c_long, *[ctypes.c_long] * 6)(page)
block = page + 4096
def i386(nr, a=0, b=0, c=0, d=0, e=0):
    box = {}
    def go():
        box["r"] = sys32(nr, a, b, c, d, e)
    th = threading.Thread(target=go, daemon=True)
    th.start(); th.join(1)
    if "r" not in box:
        return "killed"
    r = box["r"]
    if r < 0:
        return errname(-r)
    if nr in (102, 359):
        os.close(r)
    return "ok"
def socketcall_socket(family, kind):
    (ctypes.c_uint32 * 3).from_address(block)[:] = [family, kind, 0]
    return i386(102, 1, block)
out = {}
out["socketcall(SYS_SOCKET, AF_VSOCK)"] = socketcall_socket(40, 1)
out["socketcall(SYS_SOCKET, AF_NETLINK)"] = socketcall_socket(16, 3)
out["ipc(SHMGET, IPC_PRIVATE)"] = i386(117, 23, 0, 4096, 0o1600)
out["ipc(MSGGET, IPC_PRIVATE)"] = i386(117, 13, 0, 0o1600)
out["i386 socket(AF_VSOCK)"] = i386(359, 40, 1, 0)
def x32(nr, *args):
    # the x32 ABI: the native syscall instruction with bit 30 set in the number
    box = {}
    def go():
        box["r"] = raw(0x40000000 | nr, *args)
    th = threading.Thread(target=go, daemon=True)
    th.start(); th.join(1)
    if "r" not in box:
        return "killed"
    r, e = box["r"]
    if r >= 0:
        os.close(r)
        return "ok"
    return errname(e)
out["x32 socket(AF_VSOCK)"] = x32(41, 40, 1, 0)
report(out=out)
os._exit(0)
]=]

local function only_native(doc)
  if doc.archMap then
    for _, m in ipairs(doc.archMap) do
      if m.subArchitectures and #m.subArchitectures > 0 then return false end
    end
  end
  return true
end

return escape.scenario {
  id = "escape.kernel.i386_entry",
  title = "No syscall enters through the i386 or x32 entry points (int 0x80 socketcall/ipc)",
  tags = { "layer4", "seccomp", "kernel", "network", "isolation", "critical" },
  references = { "CVE-2021-26708", "T1611", "T1068" },
  remediation = "Keep hardened.architectures to SCMP_ARCH_X86_64 alone (no archMap sub-architectures) "
    .. "and socketcall, ipc in hardened.escape_syscalls.",
  run = function(t)
    local o = escape.options()
    local profile <close> = escape.profile(o)
    if not profile then t:fail("the sandbox runs without a seccomp filter") return end
    local doc = json.decode(profile:to_json())
    t:note("architectures", json.encode(doc.architectures or doc.archMap or {}))
    t:check(only_native(doc), "the profile admits no sub-architecture (i386, x32) of the native one")
    for _, rule in ipairs(doc.syscalls) do
      for _, name in ipairs(rule.names or {}) do
        if name == "socketcall" or name == "ipc" then
          t:check(rule.action ~= "SCMP_ACT_ALLOW", ("the profile does not allow the i386 multiplexer %s"):format(name))
        end
      end
    end
    -- The profile under test with executable memory allowed (see above).
    doc.syscalls[#doc.syscalls + 1] = { names = { "mmap", "mprotect" }, action = "SCMP_ACT_ALLOW" }
    local f = escape.facts(t, PROBE, { seccomp = json.encode(doc), timeout = 60 })
    for label, seen in pairs(f.out) do t:note(label, seen) end
    for label, seen in pairs(f.out) do
      if label:match("^socketcall") or label:match("^ipc") or label:match("^i386 socket") or label:match("^x32") then
        t:check(seen ~= "ok", ("%s through int 0x80 is refused (%s)"):format(label, seen))
      end
    end
  end,
}
