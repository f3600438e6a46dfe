# Technique: type(C) == x hands the metaclass to x.__eq__, which keeps it
# and builds a class from a dict of strings.
# expect: policy.call
class Grab:
    def __eq__(self, other):
        global meta
        meta = other
        return True
class C:
    pass
ok = type(C) == Grab()
X = meta("X", (), {"a": 1})
