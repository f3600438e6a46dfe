# Technique (red team): sys.path and the extension directory listed
# expect: policy.import
# guard: import
import sys, os
print(sys.builtin_module_names)
import sysconfig
d = sysconfig.get_path('platstdlib')
print(os.path.dirname(os.__file__))
for p in sys.path: 
    print(p, os.path.isdir(p))
ld = [p for p in sys.path if 'dynload' in p]
print(ld and os.listdir(ld[0]))
