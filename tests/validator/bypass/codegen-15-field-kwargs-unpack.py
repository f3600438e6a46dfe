# Technique: field(**flags): the flags' values are not literals.
# expect: policy.call
from dataclasses import dataclass, field
flags = {'init': True}
@dataclass
class A:
    x: int = field(default=0, **flags)
