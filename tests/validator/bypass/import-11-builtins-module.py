# Technique: the builtins module itself.
# expect: policy.import
import builtins
builtins.exec("print(1)")
