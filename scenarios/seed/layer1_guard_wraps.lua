-- Bypass class 1 of the static validator, run with it off: functools.wraps
-- with updated=('__globals__',) copies a stdlib module's globals into the
-- program's. random's `_os` is gone (the guard's module confinement); what
-- typing's globals hand over is a stand-in of sys whose _getframe gives no
-- frame; the program ends on a refused open.
return require("seed_guard").scenario {
  name = "wraps", event = "open",
  title = "functools.wraps(updated=('__globals__',)) reaching sys is stopped",
  code = [[
import functools, typing
def w(): pass
functools.wraps(typing.cast, assigned=(), updated=('__globals__',))(w)
if hasattr(sys._getframe(0), 'f_back'):
    print('PWN', sys._getframe(0).f_back.f_globals.keys())
open('/etc/passwd')
]],
}
