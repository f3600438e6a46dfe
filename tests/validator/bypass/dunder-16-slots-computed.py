# Technique: __slots__ built by an expression (a list comprehension).
# expect: policy.dunder
class A:
    __slots__ = [n for n in ('x', 'y')]
