# Technique: as a decorator, assigned= copies any attribute of the wrapped
# object onto the program's function (read past the attribute rules).
# expect: policy.call
import functools, random
@functools.wraps(random.Random, assigned=('__init__',), updated=())
def f(): pass
