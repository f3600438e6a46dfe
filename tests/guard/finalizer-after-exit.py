# a finalizer kept alive past the program's end, when audit hooks are gone
# guard: none
import builtins
class D:
    def __del__(self):
        print('PWN-AT-EXIT')
builtins.keep = D()
print("end")
