# Technique: attribute access inside an f-string replacement field: a
# validator that treats f-strings as opaque data misses it.
# expect: policy.dunder
print(f"{().__class__.__base__.__subclasses__()}")
