import math as m
from json import loads as l, dumps
@d.setter
def f(): pass
m.pi; m; x.__class__; self._a; o._b
match;match x:
  case 1: pass
"{0.x}" "{}".format(1)
if __name__ == "__main__": __slots__ = 1
