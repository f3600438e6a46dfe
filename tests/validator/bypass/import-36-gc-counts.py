# Technique (red team): gc counts around a class setattr
# expect: policy.import
import gc, types
rec = []
class A: pass
gc.set_threshold(1000)
for i in range(5):
    c0 = gc.get_count()
    A.x = i
    c1 = gc.get_count()
    rec.append((c0, c1))
print(rec)
