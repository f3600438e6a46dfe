# Technique: sys.modules hands out every already-imported module.
# expect: policy.import
import sys
sys.modules["os"].system("id")
