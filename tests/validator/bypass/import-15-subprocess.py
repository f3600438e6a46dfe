# Technique: subprocess under an innocent alias.
# expect: policy.import
import subprocess as sp
sp.run(["id"])
