# Technique (red team): gc callback generations
# expect: policy.import
import gc, types
n = []
def cb(phase, info):
    n.append((phase, info['generation']))
class A: pass
gc.callbacks.append(cb)
for k in range(0, 6):
    gc.set_threshold(gc.get_count()[0] + k)
    A.x = k
    n.append(('ev', k, gc.get_count()))
gc.set_threshold(0)
gc.callbacks.remove(cb)
print(n)
