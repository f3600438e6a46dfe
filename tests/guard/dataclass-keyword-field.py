# a dataclass field named by a keyword (set through __annotations__): the text dataclasses generates must not compile, and no approval may outlive the failed compile; the guard's grammar takes identifiers that are no keywords
# guard: compile
import dataclasses


class A:
    pass


A.__annotations__ = {'if': int}
dataclasses.dataclass(A)
print('PWN', 'compiled with a keyword field')
