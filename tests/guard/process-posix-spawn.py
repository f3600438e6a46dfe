# process creation: os.posix_spawn
# (sys, _thread, atexit, os, _signal, gc are out of the program's reach: refused at the import)
# guard: import
import os
os.posix_spawn("/bin/true", ["true"], {})
