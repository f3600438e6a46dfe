# Technique (red team): _imp.create_dynamic loads an extension module without the import machinery
# expect: policy.import
# guard: import
import _imp, importlib.machinery as M
for n in ['_testcapi', '_ctypes', 'mmap']:
    spec = M.ModuleSpec(n, None, origin='/usr/lib/python3.11/lib-dynload/%s.cpython-311-x86_64-linux-gnu.so' % n)
    mod = _imp.create_dynamic(spec)
    print(n, mod)
