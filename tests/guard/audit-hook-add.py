# a second audit hook
# (sys, _thread, atexit, os, _signal, gc are out of the program's reach: refused at the import)
# guard: import
import sys
sys.addaudithook(lambda e, a: None)
