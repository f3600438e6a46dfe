# Technique: dataclass(eq=...) with a program object tested for truth inside the library.
# expect: policy.call
from dataclasses import dataclass
class T:
    def __bool__(self):
        return True
@dataclass(eq=T())
class A:
    x: int = 0
