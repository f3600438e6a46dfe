# Technique: __init__ is an allowed dunder, but the bound method's
# function carries __globals__; the second hop must be refused.
# expect: policy.dunder
class A:
    def __init__(self):
        pass

g = A.__init__.__globals__
g["__builtins__"]
