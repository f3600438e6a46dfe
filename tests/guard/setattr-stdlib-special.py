# changing a special attribute of a class that existed before the program
# guard: object.__setattr__
import dataclasses
dataclasses.Field.__qualname__ = "Other"
