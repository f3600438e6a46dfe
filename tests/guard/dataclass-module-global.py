# a dataclasses module global pasted into generated source
# guard: compile
import dataclasses
dataclasses._POST_INIT_NAME = "__post_init__(); print('PWN')#"
@dataclasses.dataclass
class A:
    x: int
    def __post_init__(self): pass
A(1)
