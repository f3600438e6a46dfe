# A limit order book with dataclasses, sorted levels and matching.
from dataclasses import dataclass, field
from typing import List


@dataclass(order=True)
class Order:
    price: float
    qty: int = field(compare=False)
    side: str = field(compare=False, default="buy")


@dataclass
class Book:
    bids: List[Order] = field(default_factory=list)
    asks: List[Order] = field(default_factory=list)

    def add(self, order):
        (self.bids if order.side == "buy" else self.asks).append(order)
        self.bids.sort(reverse=True)
        self.asks.sort()

    def match(self):
        trades = []
        while self.bids and self.asks and self.bids[0].price >= self.asks[0].price:
            b, a = self.bids[0], self.asks[0]
            q = min(b.qty, a.qty)
            trades.append((a.price, q))
            b.qty -= q
            a.qty -= q
            if b.qty == 0:
                self.bids.pop(0)
            if a.qty == 0:
                self.asks.pop(0)
        return trades


book = Book()
for p, q, s in [(10.0, 5, "buy"), (10.2, 3, "sell"), (10.1, 4, "buy"), (9.9, 6, "sell")]:
    book.add(Order(p, q, s))
print(book.match(), len(book.bids), len(book.asks))
