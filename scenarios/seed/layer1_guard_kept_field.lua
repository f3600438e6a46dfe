-- The generated-code class through a kept Field: field() in a plain class
-- leaves the Field as a class attribute; renamed, a dataclass subclass
-- pastes the name into the source it compiles. The guard checks that text.
return require("seed_guard").scenario {
  name = "kept_field", event = "compile",
  title = "a renamed kept Field pasted into dataclass's generated code is stopped",
  code = [[
from dataclasses import dataclass, field
class B:
    x: int = field(default=0, init=False, repr=False, compare=False)
f = B.x
@dataclass
class C(B):
    x: int
f.name = "x=print('PWN'), *_a"
@dataclass
class D(C):
    pass
]],
}
