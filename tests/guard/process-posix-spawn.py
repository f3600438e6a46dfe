# process creation: os.posix_spawn
# guard: os.posix_spawn
import os
os.posix_spawn("/bin/true", ["true"], {})
