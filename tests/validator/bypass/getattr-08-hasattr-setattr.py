# Technique: setattr/delattr by string write attributes the policy cannot
# see (e.g. replacing a method of a shared class).
# expect: policy.builtin
class A:
    pass

setattr(A, "x" + "y", 1)
