# Technique: type(name, bases, dict) builds classes dynamically; type(x)
# also starts every class-hierarchy walk.
# expect: policy.call
X = type("X", (object,), {"hello": 1})
