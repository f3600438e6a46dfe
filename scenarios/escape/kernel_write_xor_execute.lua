-- W^X: memory that is writable and executable at once lets a program run
-- code bytes it wrote (from /tmp, from the network), making noexec /tmp
-- moot. The filter refuses mmap asking for PROT_WRITE|PROT_EXEC and
-- mprotect/pkey_mprotect adding PROT_EXEC (systemd's MemoryDenyWriteExecute).
-- Safe: an anonymous page, or address 0, where a call that reached the
-- kernel fails (ENOMEM) or maps a page that dies with the container.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.write_xor_execute",
  title = "No writable+executable memory: RWX mmap and mprotect adding PROT_EXEC are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "T1620", "T1055" },
  remediation = "Keep hardened.write_xor_execute (mmap without PROT_WRITE|PROT_EXEC, "
    .. "mprotect/pkey_mprotect without PROT_EXEC).",
  run = function(t)
    escape.refused_calls(t, {
      { "mmap", 0, 4096, 7, 0x22, -1, 0 },          -- anonymous RWX
      { "mmap", 0, 4096, 6, 0x22, -1, 0 },          -- anonymous WX
      { "mprotect", 0, 4096, 5 },                    -- RW -> RX
      { "pkey_mprotect", 0, 4096, 5, -1 },
    })
    -- The same through the C library on a real page: RW, then RX.
    local f = escape.facts(t, [=[
ctypes = need("ctypes")
l = libc()
l.mmap.restype = ctypes.c_void_p
l.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
l.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
page = l.mmap(None, 4096, 3, 0x22, -1, 0)
ctypes.memmove(page, b"\xc3", 1)
r = l.mprotect(page, 4096, 5)
report(rw_to_rx="ok" if r == 0 else errname(ctypes.get_errno()))
]=])
    t:note("mprotect(RW page, PROT_READ|PROT_EXEC)", f.rw_to_rx)
    t:check(f.rw_to_rx == "EPERM", ("a written page cannot be made executable (%s)"):format(f.rw_to_rx))
  end,
}
