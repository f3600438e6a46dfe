# a Python signal handler is called with the running frame (no event): from it the loader's and the hook's globals
# (sys, _thread, atexit, os, _signal, gc are out of the program's reach: refused at the import)
# guard: import
import _signal, time
got = []
def handler(signum, frame):
    got.append(frame)
_signal.signal(_signal.SIGALRM, handler)
_signal.setitimer(_signal.ITIMER_REAL, 0.01)
time.sleep(0.1)
print('PWN' if got else 'no frame')
