# Technique: field() in a dataclass, but its init flag a program object
# whose __bool__ runs inside the generator (between text and compile).
# expect: policy.call
from dataclasses import dataclass, field
class T:
    def __bool__(self):
        return True
@dataclass
class A:
    x: list = field(default_factory=list, init=T())
