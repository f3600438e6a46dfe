# a Field renamed to a name without quotes or newlines (x=print(1)): only identifiers pass the text check
# guard: compile
import dataclasses
@dataclasses.dataclass
class A:
    x: int = 0
dataclasses.fields(A)[0].name = "x=print(7),y"
@dataclasses.dataclass
class B(A):
    y: int = 1
