# Technique: format_map does the same traversal with a mapping argument.
# expect: policy.format
print("{a.__init__.__globals__}".format_map({"a": print}))
