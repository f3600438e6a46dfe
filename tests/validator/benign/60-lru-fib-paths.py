# Counting lattice paths with memoisation.
from functools import cache, lru_cache


@cache
def paths(r, c):
    if r == 0 or c == 0:
        return 1
    return paths(r - 1, c) + paths(r, c - 1)


@lru_cache(maxsize=128)
def partitions(n, k):
    if n == 0:
        return 1
    if n < 0 or k == 0:
        return 0
    return partitions(n - k, k) + partitions(n, k - 1)


print(paths(10, 10), partitions(30, 30), partitions.cache_info().hits > 0)
