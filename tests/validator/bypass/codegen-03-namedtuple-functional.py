# Technique: functional NamedTuple takes field names as strings.
# expect: policy.call
from typing import NamedTuple
P = NamedTuple('P', [('x', int)])
