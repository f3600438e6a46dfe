# functools.wraps(updated=('__globals__',)) merges typing's globals into the program's: its sys, then a frame
# guard: sys._getframe
import functools, typing
def w(): pass
functools.wraps(typing.cast, assigned=(), updated=('__globals__',))(w)
print(sys._getframe(0))
