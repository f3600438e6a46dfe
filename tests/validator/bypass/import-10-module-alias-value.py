# Technique: assign an allowed module to a variable, then read a private
# attribute on the variable: the module-attribute check no longer applies.
# expect: policy.module-value
import random as r
m = r
m._os.system("id")
