# Technique: the same _convert_ from inside a classmethod, where cls really
# is the method's receiver.
# expect: policy.private-attribute
from enum import Enum


class Base(Enum):
    @classmethod
    def leak(cls, module):
        return cls._convert_("Leak", module, lambda name: not name.startswith("__"))


print(Base.leak("functools"))
