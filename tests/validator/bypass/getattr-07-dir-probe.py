# Technique: dir() enumerates attribute names, the first step of automated
# discovery of a path to builtins.
# expect: policy.builtin
print(dir(()))
