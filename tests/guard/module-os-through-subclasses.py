# every class is one type.__subclasses__ walk away: no method of a removed module's class (os._wrap_close, os._Environ, inspect's) has that module's real dictionary as __globals__
# guard: open
UNAUDITED = ('access', 'readlink', 'environ', 'statvfs', 'umask', 'pipe', 'dup', 'getuid', 'uname',
             'mknod', 'mkfifo', 'nice', 'getframe', '_getframe', 'get_objects', 'get_referrers')
seen, stack = set(), [object]
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
        if type(scope) is dict and scope.get('__name__', '').startswith('importlib'):
            continue   # the import system's own classes: their modules hold stand-ins (module-frozen-by-importlib.py)
        if type(scope) is dict and [name for name in UNAUDITED if name in scope]:
            print('PWN', klass.__module__, klass.__qualname__, [name for name in UNAUDITED if name in scope])
print('classes walked:', len(seen))
open('/etc/passwd')
