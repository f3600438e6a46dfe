# Technique: compile() builds a code object from a string.
# expect: policy.builtin
code = compile("print(1)", "x", "exec")
