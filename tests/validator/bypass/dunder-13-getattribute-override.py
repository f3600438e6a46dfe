# Technique: defining __getattribute__/__getattr__ lets objects handed to
# host code run attacker logic on every attribute read by the host.
# expect: policy.dunder
class Sneaky:
    def __getattribute__(self, name):
        return name
