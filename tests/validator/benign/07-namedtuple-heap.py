# Order book matching with a heap and namedtuples.
import heapq
from collections import namedtuple

Quote = namedtuple("Quote", "price size ident")


class Book:
    def __init__(self):
        self.bids = []
        self.asks = []
        self.next_id = 0

    def add(self, side, price, size):
        self.next_id += 1
        if side == "bid":
            heapq.heappush(self.bids, (-price, self.next_id, size))
        else:
            heapq.heappush(self.asks, (price, self.next_id, size))

    def best(self):
        bid = -self.bids[0][0] if self.bids else None
        ask = self.asks[0][0] if self.asks else None
        return bid, ask

    def match(self):
        trades = []
        while self.bids and self.asks and -self.bids[0][0] >= self.asks[0][0]:
            nb, ib, sb = heapq.heappop(self.bids)
            pa, ia, sa = heapq.heappop(self.asks)
            size = min(sb, sa)
            trades.append(Quote(pa, size, (ib, ia)))
            if sb > size:
                heapq.heappush(self.bids, (nb, ib, sb - size))
            if sa > size:
                heapq.heappush(self.asks, (pa, ia, sa - size))
        return trades


if __name__ == "__main__":
    b = Book()
    for side, p, s in [("bid", 10.0, 5), ("ask", 10.2, 3), ("bid", 10.3, 4), ("ask", 9.9, 6)]:
        b.add(side, p, s)
    for t in b.match():
        print(t.price, t.size, t.ident)
    print(b.best())
