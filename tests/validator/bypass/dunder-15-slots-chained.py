# Technique: __slots__ = L = [...] keeps the class's slot list in a variable.
# expect: policy.dunder
class A:
    __slots__ = L = ['x']
L.append('y')
