# OHLC bars as namedtuples, with their public helpers.
from collections import namedtuple

Bar = namedtuple("Bar", "open high low close volume")

bars = [Bar(10, 12, 9, 11, 100), Bar(11, 13, 10, 12, 150), Bar(12, 12, 8, 9, 300)]
print(Bar._fields)
first = bars[0]._asdict()
print(first["close"], sorted(first))
adjusted = [b._replace(close=round(b.close * 1.01, 2)) for b in bars]
print(adjusted[-1])
print(Bar._make([1, 2, 0, 1, 10]))
ranges = [b.high - b.low for b in bars]
print(max(ranges), sum(b.volume for b in bars))
