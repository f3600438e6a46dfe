# Technique: Enum's private _convert_ read through a name spelled like a
# method's receiver (cls = Base): it reads a loaded module's dictionary by
# name and hands back what it holds (the real builtins module).
# expect: policy.private-attribute
from enum import Enum


class Base(Enum):
    pass


cls = Base
leak = cls._convert_("Leak", "dataclasses", lambda name: name == "builtins")
print(leak["builtins"].value)
