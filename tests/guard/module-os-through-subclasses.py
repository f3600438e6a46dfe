# every class is one type.__subclasses__ walk away: no method's __globals__, and no stand-in module held there, offers a function of posix, _thread, _imp or sys that reads the process or hands out code or frames without an audit event
# guard: open
import types
UNAUDITED = ('access', 'readlink', 'environ', 'statvfs', 'umask', 'pipe', 'dup', 'getuid', 'getgid', 'uname',
             'mknod', 'mkfifo', 'nice', 'read', 'write', 'close', 'wait', 'start_new_thread',
             'get_frozen_object', 'loads', '_getframe', '_current_frames', 'settrace', 'get_objects',
             'get_referrers')


def real(value):
    # a builtin function or the environment's dictionary (sys._getframe's stand-in is a class)
    return type(value) in (types.BuiltinFunctionType, dict)


def offered(scope):
    found = [name for name in UNAUDITED if real(scope.get(name))]
    for value in list(scope.values()):
        if type(value) is types.ModuleType:
            found += [value.__name__ + '.' + name for name in UNAUDITED if real(vars(value).get(name))]
    return found


seen, stack, pwned = set(), [object], []
while stack:
    klass = stack.pop()
    if id(klass) in seen:
        continue
    seen.add(id(klass))
    try:
        stack.extend(type.__subclasses__(klass))
        members = list(vars(klass).values())
    except TypeError:
        continue
    for member in members:
        function = getattr(member, '__func__', member)
        scope = getattr(function, '__globals__', None)
        if type(scope) is dict and offered(scope):
            pwned.append((klass.__module__, klass.__qualname__, offered(scope)))
for item in pwned[:20]:
    print('PWN', *item)
print('classes walked:', len(seen))
open('/etc/passwd')
