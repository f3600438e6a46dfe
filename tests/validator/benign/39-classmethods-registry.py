# A registry of strategies: a decorator function and classmethods.
class Registry:
    _items = {}

    @classmethod
    def add(cls, name, fn):
        cls._items[name] = fn
        return fn

    @classmethod
    def run(cls, name, *args):
        return cls._items[name](*args)

    @classmethod
    def names(cls):
        return sorted(cls._items)


def register(name):
    def deco(fn):
        return Registry.add(name, fn)
    return deco


@register("double")
def double(x):
    return 2 * x


@register("square")
def square(x):
    return x * x


print(Registry.names(), Registry.run("double", 4), Registry.run("square", 5))
