# process creation: os.system
# guard: os.system
import os
os.system("id")
