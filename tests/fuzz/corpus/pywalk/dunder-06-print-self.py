# Technique: builtin functions are bound to the builtins module:
# print.__self__ IS the builtins module, with eval and open on it.
# expect: policy.dunder
builtins_module = print.__self__
builtins_module.eval("__import__('os').system('id')")
