# Technique: relative import reaches modules next to the runner script.
# expect: policy.import-relative
from . import secrets
