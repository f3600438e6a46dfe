# a Field renamed through the class's __dataclass_fields__, pasted by a subclass
# guard: compile
import dataclasses
@dataclasses.dataclass
class A:
    x: int = 0
A.__dataclass_fields__['x'].name = "x=print('PWN')"
@dataclasses.dataclass
class B(A):
    y: int = 1
