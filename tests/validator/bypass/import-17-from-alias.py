# Technique: from os import system as an innocent name.
# expect: policy.import
from os import system as compute
compute("id")
