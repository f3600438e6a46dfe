# functools.wraps(updated=('__globals__',)) merges random's globals into the program's: os.listdir
# guard: os.listdir
import functools, random
def w(): pass
functools.wraps(random.choice, assigned=(), updated=('__globals__',))(w)
print(_os.listdir('/'))
