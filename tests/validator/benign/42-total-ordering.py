# Comparable price levels with functools.total_ordering.
import functools


@functools.total_ordering
class Level:
    def __init__(self, price, size):
        self.price = price
        self.size = size

    def __eq__(self, other):
        return self.price == other.price

    def __lt__(self, other):
        return self.price < other.price

    def __repr__(self):
        return f"Level({self.price}, {self.size})"


levels = [Level(10.2, 5), Level(9.8, 1), Level(10.0, 3)]
print(sorted(levels), max(levels), Level(1, 1) >= Level(1, 2))
key = functools.cmp_to_key(lambda a, b: b.size - a.size)
print(sorted(levels, key=key))
print(functools.reduce(lambda acc, l: acc + l.size, levels, 0))
