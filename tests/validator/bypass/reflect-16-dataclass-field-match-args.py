# Technique: a dataclass field named like a refused attribute becomes
# __match_args__, so a positional class pattern reads it from any object the
# class claims (ABC.register): partial.keywords, refused as `.keywords`.
# expect: policy.attribute
from abc import ABC
from dataclasses import dataclass
from functools import wraps, partial


@dataclass
class K(ABC):
    keywords: dict


K.register(partial)
match wraps(print):
    case K(kw):
        print(kw)
