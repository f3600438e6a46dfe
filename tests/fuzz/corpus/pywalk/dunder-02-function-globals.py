# Technique: a function's __globals__ is its module's namespace; its
# '__builtins__' entry gives eval/exec/__import__ back.
# expect: policy.dunder
def f():
    pass

f.__globals__["__builtins__"]["__import__"]("os").system("id")
