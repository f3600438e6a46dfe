# Technique: the refused keyword `metaclass` passed by string through **.
# expect: policy.call
class M(type):
    pass
class A(**{'metaclass': M}):
    pass
