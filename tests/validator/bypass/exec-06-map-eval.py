# Technique: eval passed as a callable to map.
# expect: policy.builtin
print(list(map(eval, ["1+1", "2*3"])))
