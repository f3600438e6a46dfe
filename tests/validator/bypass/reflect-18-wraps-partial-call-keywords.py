# Technique: wraps(f) with one argument returns a partial that takes
# assigned=/updated= when it is called: w(g, updated=('__globals__',))
# merges a library module's globals into the program's.
# expect: policy.call
import dataclasses
import functools


def g():
    pass


w = functools.wraps(dataclasses.asdict)
w(g, assigned=(), updated=("__globals__",))
print(builtins)  # noqa: F821
