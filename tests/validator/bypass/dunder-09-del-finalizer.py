# Technique: a __del__ finalizer runs at garbage collection or interpreter
# shutdown, outside any time limit or guard of the host (a "time bomb",
# smolagents issue 2395).
# expect: policy.dunder
class Bomb:
    def __del__(self):
        while True:
            pass

keep = Bomb()
