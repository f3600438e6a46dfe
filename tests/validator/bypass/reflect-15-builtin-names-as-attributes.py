# Technique: the builtins that turn strings into code or attributes reached
# as attributes of an object that carries them (here a class standing in
# for a builtins module handed out by a library).
# expect: policy.attribute
class Carrier:
    pass


m = Carrier()
print(m.eval("1 + 1"), m.getattr(m, "x"), m.vars())
