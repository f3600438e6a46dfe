# Technique: functools.wraps copies the attributes named in updated=:
# ('__globals__',) merges random's globals (_os) into the program's.
# expect: policy.call
import functools, random
def w(): pass
functools.wraps(random.choice, assigned=(), updated=('__globals__',))(w)
print(_os.listdir('/'))
