# Technique: field(compare=c) with c a name bound to a program object.
# expect: policy.call
from dataclasses import dataclass, field
class T:
    def __bool__(self):
        return False
c = T()
@dataclass
class A:
    x: int = field(default=0, compare=c)
