# gc.get_referrers
# guard: gc.get_referrers
import gc
print(gc.get_referrers(print))
