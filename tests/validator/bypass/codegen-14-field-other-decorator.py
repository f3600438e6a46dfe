# Technique: field() in a class decorated by something other than dataclass
# (the Field stays a class attribute).
# expect: policy.call
import functools
from dataclasses import dataclass, field
@functools.total_ordering
class B:
    x: int = field(default=0)
    def __lt__(self, other):
        return False
f = B.x
