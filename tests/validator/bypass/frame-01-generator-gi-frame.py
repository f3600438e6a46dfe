# Technique: a generator's gi_frame is a live frame: f_back walks up to
# the caller, f_globals / f_builtins give eval (simpleeval issue 138,
# RestrictedPython CVE-2023-37271).
# expect: policy.attribute
def gen():
    yield 1

g = gen()
next(g)
b = g.gi_frame.f_back.f_builtins
