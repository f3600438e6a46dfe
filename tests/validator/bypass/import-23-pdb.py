# Technique: debugger entry points run arbitrary commands from stdin.
# expect: policy.import
import pdb
pdb.set_trace()
