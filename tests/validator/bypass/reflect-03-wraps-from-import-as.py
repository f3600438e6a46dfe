# Technique: wraps imported under another name.
# expect: policy.call
from functools import wraps as copy_attributes
def f(): pass
copy_attributes(print, (), ('__globals__',))(f)
