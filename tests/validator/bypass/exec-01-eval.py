# Technique: eval of a string.
# expect: policy.builtin
eval("__import__('os').system('id')")
