# gc.get_referrers
# (sys, _thread, atexit, os, _signal, gc are out of the program's reach: refused at the import)
# guard: import
import gc
print(gc.get_referrers(print))
