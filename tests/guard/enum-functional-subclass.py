# Enum's functional API through a program subclass: member names become class attributes (dunders too)
# guard: enum.functional
import enum
class Base(enum.Enum):
    pass
E = Base('E', {'__match_args__': ('x',), 'A': 1}, module='m')
print('PWN', E)
