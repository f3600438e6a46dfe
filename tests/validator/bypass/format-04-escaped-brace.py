# Technique: an escape sequence spells the brace: "\x7b0.__class__}" has
# no '{' in the source text but one at run time.
# expect: policy.format
print("\x7b0.__class__}".format(1))
