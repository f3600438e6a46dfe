# Technique: an item index in a format field followed by attribute
# traversal: "{0[0].__class__}" reads an attribute by name. (A bare item,
# "{0[key]}", is __getitem__ as the program could write it, and is allowed.)
# expect: policy.format
print("{0[0].__class__}".format([1]))
