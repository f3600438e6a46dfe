# Technique: importing a private re-export from an allowed module:
# random imports os as _os.
# expect: policy.import-name
from random import _os
_os.system("id")
