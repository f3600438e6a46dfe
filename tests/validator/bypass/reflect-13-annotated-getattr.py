# Technique: typing.Annotated wraps any object, and the alias's __getattr__
# forwards a run-time string to it: the refused `keywords` of a wraps()
# partial, then updated=('__globals__',) merges a library's globals.
# expect: policy.dunder
from dataclasses import asdict
from functools import wraps
from typing import Annotated


def mine():
    return 0


w = wraps(asdict)
kw = Annotated[w, 0].__getattr__("keyw" + "ords")
kw["updated"] = ("__glo" + "bals__",)
w(mine)
