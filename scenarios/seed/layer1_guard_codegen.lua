-- Bypass class 2 of the static validator, run with it off: a functional
-- TypedDict key pasted by dataclass into the __repr__ source it executes.
return require("seed_guard").scenario {
  name = "codegen", event = "compile",
  title = "a TypedDict key injected into dataclass's generated code is stopped",
  code = [[
import dataclasses, typing
P = "\"\n  print('PWN', __import__('os').getuid())\n  x=("
Q = ")\n  return __repr__\n #"
T = typing.TypedDict('T', {P + "'''" + Q: int})
dataclasses.dataclass(T, init=False, eq=False)
]],
}
