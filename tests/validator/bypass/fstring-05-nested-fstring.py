# Technique: f-strings nested in f-strings (with alternating quotes) hide a
# call two levels down.
# expect: policy.builtin
print(f"{f'{eval(str(1))}'}")
