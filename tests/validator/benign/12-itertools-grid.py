# Parameter grid search with itertools.
import itertools
from itertools import product, accumulate


def pnl(params, prices):
    fast, slow = params
    if fast >= slow:
        return float("-inf")
    score = 0.0
    for a, b in itertools.pairwise(prices):
        score += (b - a) * (1 if (a % fast) < (a % slow) else -1)
    return score


if __name__ == "__main__":
    prices = list(accumulate([1, 2, -1, 3, -2, 4, 1, -3, 2, 2]))
    grid = product(range(2, 5), range(3, 8))
    best = max(grid, key=lambda p: pnl(p, prices))
    print("best", best, "pnl", pnl(best, prices))
    print(list(itertools.islice(itertools.count(10, 5), 4)))
