# Technique: submodule import of an allowed package name pattern.
# expect: policy.import
import os.path
print(os.path.expanduser("~"))
