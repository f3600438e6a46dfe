# Technique: gc.get_objects() / inspect.stack() reach every live module
# and frame.
# expect: policy.import
import gc
mods = [o for o in gc.get_objects() if "system" in str(o)]
