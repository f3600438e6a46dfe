# Technique: sys._getframe(1).f_globals reads (and writes) the caller's
# globals, the host's included.
# expect: policy.import
import sys
print(sys._getframe(1).f_globals)
