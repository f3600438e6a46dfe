# Technique: a namedtuple's __match_args__ are names from strings; ABC
# registration makes a foreign type an instance of the class, so a positional
# class pattern reads those names from a foreign object.
# expect: policy.attribute
import abc
import collections
import functools

P = collections.namedtuple("P", ["ke" + "ywords"])


class Q(P, abc.ABC):
    pass


Q.register(functools.partial)
match functools.partial(print, end=""):
    case Q(kw):
        print(kw)
