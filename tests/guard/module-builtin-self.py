# a builtin function's __self__ (no audit event) is its module: the modules the guard removed are emptied (sys keeps only what the interpreter reads by name)
# guard: open
import collections, dataclasses, linecache
modules = {
    'posix': linecache.os.stat.__self__,
    '_thread': dataclasses._thread.get_ident.__self__,
    'sys': collections._sys.intern.__self__,
}
for name, module in modules.items():
    for attribute in ('getpid', 'access', 'readlink', 'environ', 'umask', 'pipe', 'dup', 'start_new_thread',
                      '_getframe', '_current_frames', 'settrace', 'addaudithook', 'get_frozen_object', 'loads'):
        if hasattr(module, attribute):
            print('PWN', name, attribute)
for name, value in vars(modules['sys']).items():
    if type(value).__name__ == 'function':   # a hook left by another module, with that module's globals
        print('PWN', 'sys', name)
open('/etc/passwd')
