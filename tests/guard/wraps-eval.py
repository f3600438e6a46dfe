# wraps copies __builtins__ in, then eval of a string
# guard: compile
import functools, random
def w(): pass
functools.wraps(random.choice, assigned=(), updated=('__globals__',))(w)
print(__builtins__['eval']("1 + 1") if isinstance(__builtins__, dict) else __builtins__.eval("1 + 1"))
