# Technique (red team): field() outside a dataclass: the Field object is readable as B.x
# expect: policy.call
from dataclasses import dataclass, field

class B:
    x: int = field(default=0)

f = B.x
print(type(f) is int, f)
