# Technique: dataclasses.fields hands out the class's own Field objects.
# expect: policy.module-attribute
import dataclasses
@dataclasses.dataclass
class A:
    x: int
dataclasses.fields(A)[0].name = "x=0):\n  print('PWN')\n def g("
