# Technique: hasattr with a computed name reads any attribute (a property's side effects).
# expect: policy.call
name = "__" + "class__"
print(hasattr(1, name))
