# sys._getframe: the loader's frame and its globals
# guard: open
import typing
f = typing.sys._getframe(0)   # the stand-in's: the module name, no frame
if hasattr(f, 'f_back'):
    print('PWN', f.f_back.f_globals.keys())
open("/etc/passwd")
