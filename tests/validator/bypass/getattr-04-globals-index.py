# Technique: globals()['__builtins__'] or locals() by string key.
# expect: policy.builtin
print(globals()["__buil" + "tins__"])
