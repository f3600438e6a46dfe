# Technique: wraps through a variable, so no call of the name has keywords.
# expect: policy.call
import functools, random
w = functools.wraps
def f(): pass
w(random.choice, (), ('__globals__',))(f)
