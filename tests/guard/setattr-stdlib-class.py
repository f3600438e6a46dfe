# replacing the descriptor of a stdlib class the dataclass generator reads
# guard: compile
import dataclasses
dataclasses.Field.name = property(lambda self: "x=0):\n  print('PWN')\n def f(", lambda self, value: None)
@dataclasses.dataclass
class A:
    x: int
