# Technique (red team): gc callbacks calibrated against allocations
# expect: policy.import
import gc, sys
n = []
gc.callbacks.append(lambda p, i: n.append(p))
keep = []
for k in range(0, 5):
    c = gc.get_count()[0]
    gc.set_threshold(c + k)
    for j in range(8):
        keep.append([])
        if n:
            break
    print(k, c, j, n, gc.get_count()); n.clear()
gc.set_threshold(700)
