# sys reached through a library's attribute: its modules hold no gc, os, _thread, _imp, marshal, _signal
# guard: import
import typing
m = typing.sys.modules
for name in ('gc', 'os', 'posix', 'sys', '_thread', '_imp', 'marshal', '_signal', 'atexit', 'importlib'):
    assert name not in m, name
import gc
