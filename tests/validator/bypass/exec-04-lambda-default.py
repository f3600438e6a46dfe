# Technique: a default argument binds eval once, the body never names it.
# expect: policy.builtin
run = lambda src, f=eval: f(src)
run("1+1")
