# Technique: the Field of a class-body default bound again in the class body
# (y = x) outlives its class as the class attribute y; renamed, a subclass's
# dataclass pastes the new name into code.
# expect: policy.call
from dataclasses import dataclass, field
@dataclass
class A:
    x: list = field(default_factory=list)
    y = x
A.y.name = "x=0):\n  print('PWN')\n def g("
@dataclass
class B(A):
    z: int = 1
