# gc through importlib.import_module (the import machinery reached from a library)
# guard: open
import dataclasses
try:
    dataclasses.inspect.signature.__globals__['Signature'].__str__.__globals__['importlib'].import_module('gc')
    print('PWN', 'gc')
except NameError:
    pass   # the copies of importlib's functions hold only stand-ins: the chain is cut
open('/etc/passwd')
