# Technique (red team): gc callback fired by a class setattr event inside the hook
# expect: policy.import
# guard: import
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
gc.set_threshold(1)
for i in range(20):
    A.x = i
gc.set_threshold(0)
gc.callbacks.remove(cb)
gc.collect()
found = {}
for o in gc.garbage:
    if type(o) is types.FrameType:
        f = o
        while f is not None:
            loc = f.f_locals
            if 'busy' in loc or 'run' in loc:
                found[tuple(sorted(loc))] = f
            f = f.f_back
print(len(gc.garbage), len(found))
for k, f in found.items():
    print(k)
    hf = f
