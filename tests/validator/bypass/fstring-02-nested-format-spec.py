# Technique: the expression sits in a field nested inside the format spec.
# expect: policy.builtin
x = 1
print(f"{x:{eval('5')}}")
