# a frozen module (os, gone from sys.modules) loaded again through importlib.import_module
# guard: open
import dataclasses
try:
    os = dataclasses.inspect.signature.__globals__['Signature'].__str__.__globals__['importlib'].import_module('os')
    print('PWN', os.listdir('/'))
except NameError:
    pass   # the copies of importlib's functions hold only stand-ins: the chain is cut
open('/etc/passwd')
