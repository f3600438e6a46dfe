# Technique: async generators expose ag_frame (and ag_code).
# expect: policy.keyword
async def agen():
    yield 1

print(agen().ag_frame)
