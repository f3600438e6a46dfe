# Technique: functional Enum sets class attributes named by strings.
# expect: policy.call
import enum
E = enum.Enum('E', [('__init_subclass__', 1)])
