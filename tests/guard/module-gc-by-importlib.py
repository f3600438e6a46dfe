# gc through importlib.import_module (the import machinery reached from a library)
# guard: open
import dataclasses
try:
    dataclasses.inspect.signature.__globals__['Signature'].__str__.__globals__['importlib'].import_module('gc')
    print('PWN', 'gc')
except (NameError, KeyError):
    pass   # inspect's classes' methods are copies whose globals hold no importlib; importlib's copies hold only stand-ins
open('/etc/passwd')
