# Technique: wraps passed as a value to partial.
# expect: policy.call
import functools, random
p = functools.partial(functools.wraps, random.choice, updated=('__globals__',))
