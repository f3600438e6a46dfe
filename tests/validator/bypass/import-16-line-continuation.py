# Technique: a backslash continuation splits 'import os' over two lines to
# defeat line-based regex policies.
# expect: policy.import
import \
    os
os.system("id")
