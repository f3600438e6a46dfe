# gc through importlib.import_module (the import machinery reached from a library)
# guard: import
import dataclasses
dataclasses.inspect.signature.__globals__['importlib'].import_module('gc')
