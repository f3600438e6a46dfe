# red team: a field name whose __str__ is a C chain compiles program source while namedtuple's frame is innermost
# guard: compile
import collections, itertools, functools
class Name:
    __str__ = functools.partial(next, map(compile, itertools.repeat("print('PWN')"), itertools.repeat('x'), itertools.repeat('exec')))
try:
    collections.namedtuple('Q', [Name()])
except TypeError:
    pass
print('PWN still running')
