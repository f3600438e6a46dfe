# Technique: code objects (gi_code, __code__) expose co_consts/co_names
# and code.replace() builds arbitrary bytecode.
# expect: policy.attribute
def gen():
    yield "secret"

print(gen().gi_code.co_consts)
