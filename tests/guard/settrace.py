# a trace function sees every frame
# (sys, _thread, atexit, os, _signal, gc are out of the program's reach: refused at the import)
# guard: import
import sys
sys.settrace(lambda *a: None)
