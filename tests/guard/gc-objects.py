# gc object walks
# guard: gc.get_objects
import gc
print(len(gc.get_objects()))
