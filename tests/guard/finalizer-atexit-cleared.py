# the loader's end removed from the atexit list, so that the interpreter finalizes (hooks cleared) and runs a finalizer
# (sys, _thread, atexit, os, _signal, gc are out of the program's reach: refused at the import)
# guard: import
import atexit, builtins, os
class D:
    def __del__(self):
        os.system('echo PWN-AT-EXIT')
        print('PWN finalizer ran')
builtins.keep = D()
atexit._run_exitfuncs()
print("end")
