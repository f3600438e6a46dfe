# Technique: assigned/updated given positionally.
# expect: policy.call
from functools import wraps
import random
def f(): pass
wraps(random.choice, (), ('__globals__',))(f)
