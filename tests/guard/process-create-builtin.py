# process creation through a compiled-in module made by _imp.create_builtin (no import event) and fork_exec (no event)
# guard: import
import _imp, sys, os
ModuleSpec = type(sys.__spec__)
m = _imp.create_builtin(ModuleSpec('_posixsubprocess', None, origin='built-in'))
r, w = os.pipe()
try:
    pid = m.fork_exec([b"/bin/echo", b"PWN-exec"], [b"/bin/echo"], True, (w,), None, None, -1, -1, -1, -1, -1, -1, r, w, True, False, -1, None, None, -1, -1, None, False)
    print("PWN forked pid", pid, flush=True)
except Exception as e:
    print("fork_exec error", type(e).__name__, e, flush=True)
