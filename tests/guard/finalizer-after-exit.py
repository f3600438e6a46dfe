# a finalizer kept alive past the program's end, when audit hooks are gone
# guard: none
import builtins, os
class D:
    def __del__(self):
        os.system('echo PWN-AT-EXIT')
builtins.keep = D()
print("end")
