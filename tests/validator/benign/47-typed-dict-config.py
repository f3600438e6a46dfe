# Typed configuration with TypedDict and NamedTuple class syntax.
from typing import NamedTuple, TypedDict


class Limits(TypedDict, total=False):
    max_position: int
    max_loss: float


class Fill(NamedTuple):
    symbol: str
    qty: int
    price: float = 0.0


limits: Limits = {"max_position": 100}
fills = [Fill("A", 10, 1.5), Fill("B", 5)]
print(limits.get("max_loss", 0.0), fills[1], fills[0]._asdict())
print(sum(f.qty * f.price for f in fills), isinstance(fills[0], tuple))
