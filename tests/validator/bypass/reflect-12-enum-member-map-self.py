# Technique: Enum's reserved _name_ attributes through self (the member map,
# the hook that builds members from values).
# expect: policy.private-attribute
from enum import Enum


class Color(Enum):
    RED = 1

    def members(self):
        return self._member_map_, self._missing_


print(Color.RED.members())
