-- Bypass class 1 of the static validator, run with it off: functools.wraps
-- with updated=('__globals__',) copies random's globals into the program's.
return require("seed_guard").scenario {
  name = "wraps", event = "os.listdir",
  title = "functools.wraps(updated=('__globals__',)) reaching os is stopped",
  code = [[
import functools, random
def w(): pass
functools.wraps(random.choice, assigned=(), updated=('__globals__',))(w)
print('PWN', _os.listdir('/'))
]],
}
