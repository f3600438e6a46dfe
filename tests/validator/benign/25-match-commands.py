# Dispatch strategy commands with structural pattern matching.
from dataclasses import dataclass


@dataclass
class Buy:
    symbol: str
    qty: int


@dataclass
class Sell:
    symbol: str
    qty: int


def apply(book, command):
    match command:
        case Buy(symbol=s, qty=q) if q > 0:
            book[s] = book.get(s, 0) + q
        case Sell(symbol=s, qty=q):
            book[s] = book.get(s, 0) - q
        case ("close", s):
            book.pop(s, None)
        case {"reset": True}:
            book.clear()
        case _:
            raise ValueError(f"unknown command {command!r}")
    return book


book = {}
for cmd in [Buy("A", 5), Sell("A", 2), Buy("B", 1), ("close", "B")]:
    apply(book, cmd)
print(book)
try:
    apply(book, 42)
except ValueError as e:
    print(e)
