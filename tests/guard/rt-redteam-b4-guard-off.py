# red team: a frame from namedtuple's getframe allowance, the hook's locals through gc callbacks, refuse.__defaults__ rewritten through the __defaults__ allowance
# guard: object.__setattr__
import collections, itertools, functools
saved = collections._sys._getframe
def frame_of_namedtuple_call():
    store = []
    collections._sys._getframe = functools.partial(next, map(store.append, map(saved, itertools.repeat(0))))
    collections.namedtuple('P', 'a')
    collections._sys._getframe = saved
    return store[0]
f = frame_of_namedtuple_call()
if type(f).__name__ == 'frame':
    print('PWN a frame', f)
assert not hasattr(f, 'f_back')
# Without the hook's frame: the same rewrite aimed at a function of the
# loader's reach is refused, whatever it targets.
def refuse(event, detail, write=print):
    write('refused', event)
collections._sys._getframe = functools.partial(next, map(setattr, itertools.repeat(refuse), itertools.repeat('__defaults__'), itertools.repeat((len,))))
collections.namedtuple('P', 'a')
print('PWN defaults rewritten')
