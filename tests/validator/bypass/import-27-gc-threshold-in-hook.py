# Technique (red team): gc threshold tuned so that a collection fires inside the hook
# expect: policy.import
import gc, types
gc.set_debug(gc.DEBUG_SAVEALL)
def cb(phase, info):
    if phase != 'start':
        return
    try:
        raise KeyError
    except KeyError as e:
        err = e
class A: pass
gc.callbacks.append(cb)
for k in range(0, 12):
    for rep in range(3):
        gc.set_threshold(gc.get_count()[0] + k)
        A.x = k
gc.set_threshold(0)
gc.callbacks.remove(cb)
gc.collect()
found = {}
for o in gc.garbage:
    if type(o) is types.FrameType:
        f = o
        while f is not None:
            loc = f.f_locals
            if 'busy' in loc or 'run' in loc or 'me' in loc:
                found[tuple(sorted(loc))] = f
            f = f.f_back
print(len(gc.garbage), len(found))
for k, f in found.items():
    print(k)
