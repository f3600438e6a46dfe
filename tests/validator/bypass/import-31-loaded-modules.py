# Technique (red team): os, sys and gc imported from sys.modules without an import event
# expect: policy.import
# guard: import
import os, sys, gc
print(sorted(sys.modules)[:400])
print(sys.version)
