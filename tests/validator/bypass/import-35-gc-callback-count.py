# Technique (red team): gc callback counting collections
# expect: policy.import
import gc, types
gc.set_debug(gc.DEBUG_SAVEALL)
n = [0]
def cb(phase, info):
    n[0] += 1
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
    L = [[] for j in range(5)]
gc.set_threshold(0)
gc.callbacks.remove(cb)
print(n, gc.get_count(), gc.isenabled())
gc.collect()
print(len(gc.garbage))
