# Technique: same as gi_frame but through a coroutine object (cr_frame),
# for sandboxes that only block the gi_ prefix.
# expect: policy.keyword
async def co():
    pass

c = co()
print(c.cr_frame.f_globals)
