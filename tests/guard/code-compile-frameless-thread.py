# compile in a thread with no Python frame (allowed: tracebacks need it), then exec of that code
# (sys, _thread, atexit, os, _signal, gc are out of the program's reach: refused at the import)
# guard: import
import _thread, time
out = []
_thread.start_new_thread(out.extend, (map(compile, ["print('PWN')"], ["x"], ["exec"]),))
time.sleep(0.5)
exec(out[0])
