# Technique: inside a method, the bare name __class__ is the implicit
# closure cell used by super(); it leaks the class without attribute access.
# expect: policy.dunder
class A:
    def leak(self):
        return __class__

print(A().leak())
