# Technique: importlib.import_module with a computed name.
# expect: policy.import
import importlib
importlib.import_module("o" + "s").system("id")
