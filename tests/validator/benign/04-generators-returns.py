# Generators for returns, rolling windows and drawdowns.
from collections import deque
import math


def pct_returns(prices):
    prev = None
    for p in prices:
        if prev is not None:
            yield (p - prev) / prev
        prev = p


def rolling(values, n):
    window = deque(maxlen=n)
    for v in values:
        window.append(v)
        if len(window) == n:
            yield list(window)


def max_drawdown(prices):
    peak, worst = -math.inf, 0.0
    for p in prices:
        peak = max(peak, p)
        worst = min(worst, (p - peak) / peak)
    return worst


def log_returns(prices):
    yield from (math.log(b / a) for a, b in zip(prices, prices[1:]))


if __name__ == "__main__":
    prices = [10, 11, 10.5, 12, 11, 13, 12.5, 14]
    print([round(r, 4) for r in pct_returns(prices)])
    print([round(sum(w) / len(w), 3) for w in rolling(prices, 3)])
    print("max drawdown", round(max_drawdown(prices), 4))
    print("sum log", round(sum(log_returns(prices)), 6))
