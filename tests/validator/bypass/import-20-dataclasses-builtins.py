# Technique: dataclasses imports the builtins module under its own name.
# expect: policy.module-attribute
import dataclasses
dataclasses.builtins.eval("1")
