# os reached through a library function's __globals__: only what that library uses, none of the unaudited calls
# guard: open
import dataclasses
g = dataclasses.inspect.signature.__globals__['Signature'].__str__.__globals__   # a copy's, not inspect's own
assert 'access' not in g and 'environ' not in g
os = g.get('os', dataclasses.inspect.signature.__globals__.get('os'))
for name in ('listdir', 'access', 'readlink', 'environ', 'statvfs', 'mknod', 'mkfifo', 'umask', 'nice',
             'pipe', 'dup', 'system', 'fork', 'chdir', 'kill'):
    assert not hasattr(os, name), name
open("/etc/passwd")
