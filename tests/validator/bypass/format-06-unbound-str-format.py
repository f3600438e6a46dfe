# Technique: str.format called unbound: the receiver is the name str, not
# a literal.
# expect: policy.format
print(str.format("{0.__class__}", 1))
