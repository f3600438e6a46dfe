# red team: __defaults__ of a function that is not namedtuple's __new__ set from a C chain while namedtuple's frame is innermost
# guard: object.__setattr__
import collections, itertools, functools
def victim(a=1):
    return a
saved = collections._sys._getframe
collections._sys._getframe = functools.partial(next, map(setattr, itertools.repeat(victim), itertools.repeat('__defaults__'), itertools.repeat((2,))))
try:
    collections.namedtuple('P', 'a')
except AttributeError:
    pass
collections._sys._getframe = saved
print('PWN defaults now', victim())
