# a module outside the policy that is not loaded yet
# guard: import
import shutil
print(shutil.which("sh"))
