# Technique: vars(obj) returns obj.__dict__ without writing the dunder.
# expect: policy.builtin
class A:
    pass

print(vars(A))
