# Technique: a dataclass's generated methods use its field names on whatever
# object they are handed: K.__repr__(obj) reads obj.<field>, W.__init__(obj,
# ...) writes it (attrname, gi_frame: refused as attributes).
# expect: policy.attribute
import random
from dataclasses import dataclass


@dataclass
class W:
    attrname: str
    gi_frame: int


r = random.Random()
W.__init__(r, "written", 1)
print(W.__repr__(r))
