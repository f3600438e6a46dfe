# Technique: the __builtins__ name is visible in every module; indexing its
# dict by a computed string reaches any builtin even when eval is "removed".
# expect: policy.dunder
b = __builtins__
ev = (b if isinstance(b, dict) else b.__dict__)["ev" + "al"]
ev("__import__('os').system('id')")
