# a new code object from code.replace
# guard: object.__getattr__
def f(): return 1
g = f.__code__.replace(co_consts=(None, 2))
