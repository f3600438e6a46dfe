# a frozen module (os, gone from sys.modules) loaded again through importlib.import_module
# guard: open
import dataclasses
try:
    os = dataclasses.inspect.signature.__globals__['Signature'].__str__.__globals__['importlib'].import_module('os')
    print('PWN', os.listdir('/'))
except (NameError, KeyError):
    pass   # inspect's classes' methods are copies whose globals hold no importlib; importlib's copies hold only stand-ins
open('/etc/passwd')
