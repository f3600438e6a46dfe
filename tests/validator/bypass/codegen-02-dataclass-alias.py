# Technique: dataclass through a variable, applied to a class built from strings.
# expect: policy.call
from dataclasses import dataclass
from typing import TypedDict
make = dataclass
T = TypedDict('T', {"x=0):\n  print('PWN')\n def f(": int})
make(T)
