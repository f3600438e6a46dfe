# sys reached through inspect: no setrecursionlimit/setswitchinterval/settrace; _getframe gives no frame
# guard: open
import dataclasses
s = dataclasses.inspect.sys
for name in ('setrecursionlimit', 'setswitchinterval', 'settrace', 'setprofile', '_current_frames', 'addaudithook'):
    assert not hasattr(s, name), name
assert not hasattr(getattr(s, '_getframe', int)(0), 'f_back')
open("/etc/passwd")
