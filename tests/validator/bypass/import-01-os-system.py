# Technique: the direct route.
# expect: policy.import
import os
os.system("id")
