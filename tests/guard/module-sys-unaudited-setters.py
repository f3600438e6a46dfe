# sys reached through inspect: no setrecursionlimit/setswitchinterval/settrace; _getframe still refused
# guard: sys._getframe
import dataclasses
s = dataclasses.inspect.sys
for name in ('setrecursionlimit', 'setswitchinterval', 'settrace', 'setprofile', '_current_frames', 'addaudithook'):
    assert not hasattr(s, name), name
s._getframe()
