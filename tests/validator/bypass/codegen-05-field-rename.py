# Technique: a Field kept in a variable is renamed after its class is made;
# a subclass's dataclass pastes the new name into the code it generates.
# expect: policy.call
from dataclasses import dataclass, field
f = field(default=0)
@dataclass
class A:
    x: int = f
f.name = "x=0):\n  print('PWN')\n def g("
@dataclass
class B(A):
    y: int = 1
