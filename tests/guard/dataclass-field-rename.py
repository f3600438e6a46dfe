# a Field renamed after its class was made, pasted by a subclass's dataclass
# guard: compile
import dataclasses
@dataclasses.dataclass
class A:
    x: int
dataclasses.fields(A)[0].name = "x=0):\n  print('PWN')\n def f("
@dataclasses.dataclass
class B(A):
    y: int = 1
