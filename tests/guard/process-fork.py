# process creation: os.fork
# guard: os.fork
import os
os.fork()
