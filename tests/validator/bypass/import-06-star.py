# Technique: from X import * binds names the policy never sees (module
# globals such as _os re-exports when __all__ is absent).
# expect: policy.import-star
from random import *
