# Orders and fills modelled with dataclasses, properties and field factories.
from dataclasses import dataclass, field, asdict
from typing import List, Optional
import json


@dataclass
class Fill:
    price: float
    quantity: int


@dataclass
class Order:
    symbol: str
    side: str
    quantity: int
    limit: Optional[float] = None
    fills: List[Fill] = field(default_factory=list)

    def __post_init__(self):
        if self.side not in ("buy", "sell"):
            raise ValueError("side must be buy or sell")

    @property
    def filled(self) -> int:
        return sum(f.quantity for f in self.fills)

    @property
    def average_price(self) -> float:
        if not self.fills:
            return 0.0
        return sum(f.price * f.quantity for f in self.fills) / self.filled


if __name__ == "__main__":
    o = Order("ACME", "buy", 100, limit=12.5)
    o.fills.append(Fill(12.4, 60))
    o.fills.append(Fill(12.5, 40))
    print(json.dumps(asdict(o), sort_keys=True))
    print("avg {:.4f} filled {}".format(o.average_price, o.filled))
