# Technique: a functional TypedDict key (any string) pasted by dataclass
# into the __repr__ source it executes.
# expect: policy.call
import dataclasses, typing
P = "\"\n  print('PWN', __import__('os').getuid())\n  x=("
Q = ")\n  return __repr__\n #"
T = typing.TypedDict('T', {P + "'''" + Q: int})
dataclasses.dataclass(T, init=False, eq=False)
