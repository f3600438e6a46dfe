# gc object walks
# (sys, _thread, atexit, os, _signal, gc are out of the program's reach: refused at the import)
# guard: import
import gc
print(len(gc.get_objects()))
