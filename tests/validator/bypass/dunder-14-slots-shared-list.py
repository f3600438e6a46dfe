# Technique: __slots__ bound to a list the program keeps, changed after the
# class is made: copy.copy then reads and sets attributes by those names.
# expect: policy.dunder
import copy
names = ['x']
class A:
    __slots__ = names
names.append('y')
a = A()
print(copy.copy(a))
