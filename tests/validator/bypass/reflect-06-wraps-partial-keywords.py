# Technique: wraps(f) is a partial: its keywords dict is mutable.
# expect: policy.attribute
import functools, random
w = None
p = functools.wraps(random.choice)
p.keywords['updated'] = ('__globals__',)
