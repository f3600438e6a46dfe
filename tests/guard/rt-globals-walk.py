# red team: every function, class, cell and module reachable from the importable modules, searched for unaudited os calls, sys internals and the import system
# guard: open
import collections, typing, dataclasses, linecache, tokenize, warnings, weakref, functools, re, json, enum, io, types, codecs
start = [collections, typing, dataclasses, linecache, tokenize, warnings, weakref, functools, re, json, enum, io, types, codecs]
wanted = {'access', 'readlink', 'pipe', 'umask', 'listdir', 'mknod', 'getenv', '_getframe', 'meta_path', 'get_objects', 'callbacks', 'fork', 'system'}
seen, todo, found = set(), list(start), set()
while todo and len(seen) < 200000:
    o = todo.pop()
    if id(o) in seen:
        continue
    seen.add(id(o))
    t = type(o)
    if t is types.ModuleType:
        d = vars(o)
        for k in wanted & set(d):
            if type(d[k]).__name__ in ('builtin_function_or_method', 'list', '_Environ') and k != '_getframe' or k == '_getframe' and type(d[k]).__name__ == 'builtin_function_or_method':
                found.add(o.__name__ + '.' + k)
        todo.extend(d.values())
    elif t is types.FunctionType:
        todo.append(o.__globals__)
        todo.extend(c.cell_contents for c in (o.__closure__ or ()) if c is not None)
    elif t is dict:
        for k, v in list(o.items()):
            if type(k) is str and k in wanted and type(v).__name__ == 'builtin_function_or_method':
                found.add('globals.' + k)
            todo.append(v)
    elif isinstance(o, type):
        todo.extend(vars(o).values())
    elif t in (staticmethod, classmethod):
        todo.append(o.__func__)
    elif t is property:
        todo.extend((o.fget, o.fset, o.fdel))
    elif t in (list, tuple, frozenset, set):
        todo.extend(o)
for name in sorted(found):
    print('PWN', name)
print('walked', len(seen))
open("/etc/passwd")
