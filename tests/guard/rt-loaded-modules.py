# red team: os, sys, gc from sys.modules with no import event
# guard: import
import os, sys, gc
print(sorted(sys.modules)[:400])
print(sys.version)
