# Technique: closure cells (__closure__[i].cell_contents) read and write
# variables of enclosing scopes, including host-provided ones.
# expect: policy.dunder
def outer():
    secret = 1
    return lambda: secret

print(outer().__closure__[0].cell_contents)
