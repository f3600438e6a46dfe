# Technique (red team): gc collection fired by an allowed open inside the hook
# expect: policy.import
# guard: import
import gc, types, os
gc.set_debug(gc.DEBUG_SAVEALL)
def cb(phase, info):
    if phase != 'start':
        return
    try:
        raise KeyError
    except KeyError as e:
        err = e
gc.callbacks.append(cb)
p = os.path.dirname(os.__file__) + '/os.py'
for k in range(0, 12):
    gc.set_threshold(gc.get_count()[0] + k)
    open(p).close()
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
