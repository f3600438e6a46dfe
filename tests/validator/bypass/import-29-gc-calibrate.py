# Technique (red team): calibrating collections against audit events
# expect: policy.import
# guard: import
import gc, sys
n = []
def hook(ev, args):
    if ev != 'object.__setattr__': return
    try:
        raise LookupError
    except LookupError as e:
        tb = e.__traceback__
    n.append(('in', gc.get_count()[0]))
    tb = None
sys.addaudithook(hook)
gc.callbacks.append(lambda p, i: n.append(p))
class A: pass
for k in range(0, 6):
    c = gc.get_count()[0]
    gc.set_threshold(c + k)
    A.x = 1
    print(k, c, n, gc.get_count()); n.clear()
gc.set_threshold(700)
