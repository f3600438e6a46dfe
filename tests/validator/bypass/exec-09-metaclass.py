# Technique: a metaclass runs code at class creation and controls
# attribute lookup of the class.
# expect: policy.name
class Meta(dict):
    pass

class A(metaclass=Meta):
    pass
