# Technique: __getattr__ read as an attribute (a bound method that reads any
# attribute named by a string), even on the program's own object.
# expect: policy.dunder
class Box:
    def __getattr__(self, name):
        return name


reader = Box().__getattr__
print(reader("x"))
