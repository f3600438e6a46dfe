# a frame through a generator's gi_frame
# guard: object.__getattr__
def g():
    yield 1
print(g().gi_frame.f_back)
