# exec reached through a stdlib function's __globals__
# guard: compile
import random
random.choice.__globals__['__builtins__']['exec']("print('PWN')")
