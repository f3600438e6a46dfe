# An event scheduler on a heap of (time, seq, name).
import heapq


class Scheduler:
    def __init__(self):
        self._queue = []
        self._seq = 0

    def at(self, when, name):
        heapq.heappush(self._queue, (when, self._seq, name))
        self._seq += 1

    def run(self):
        order = []
        while self._queue:
            when, _, name = heapq.heappop(self._queue)
            order.append(f"{when}:{name}")
        return order


s = Scheduler()
for when, name in [(5, "close"), (1, "open"), (3, "rebalance"), (3, "hedge")]:
    s.at(when, name)
print(s.run())
print(heapq.nsmallest(2, [9, 1, 7, 3]), heapq.nlargest(1, [9, 1, 7, 3]))
