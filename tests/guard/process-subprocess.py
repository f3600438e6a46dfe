# process creation through subprocess (its import is refused first)
# guard: import
import subprocess
subprocess.run(["id"])
