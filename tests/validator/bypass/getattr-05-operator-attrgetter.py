# Technique: operator.attrgetter / methodcaller look attributes up by
# string (re-opened RestrictedPython's string.Formatter hole).
# expect: policy.import
import operator
get = operator.attrgetter("__class__.__base__")
print(get(()))
