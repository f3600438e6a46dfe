# Technique (red team): gc.garbage with DEBUG_SAVEALL hands out frames
# expect: policy.import
# guard: import
import gc
gc.set_debug(gc.DEBUG_SAVEALL)
def f():
    try:
        raise ValueError
    except ValueError as e:
        err = e
    return None
f()
gc.collect()
import types
fr = [o for o in gc.garbage if type(o) is types.FrameType]
print(len(gc.garbage), fr)
for x in fr:
    print(x.f_globals is globals(), list(x.f_globals)[:5])
