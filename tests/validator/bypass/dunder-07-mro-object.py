# Technique: mro() returns the class chain ending in object without
# writing any dunder; object.__subclasses__ is then one step away.
# expect: policy.attribute
root = int.mro()[-1]
print(root)
