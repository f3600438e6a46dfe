# Enum's functional API called on Enum itself
# guard: enum.functional
import enum
E = enum.IntEnum('E', 'a b c')
print('PWN', E)
