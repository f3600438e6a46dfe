# Relative strength index and momentum signals over a synthetic price series.
import math
import random


def prices(n, seed=7):
    rng = random.Random(seed)
    p, out = 100.0, []
    for _ in range(n):
        p *= math.exp(rng.gauss(0.0005, 0.01))
        out.append(p)
    return out


def rsi(series, period=14):
    gains = [max(b - a, 0.0) for a, b in zip(series, series[1:])]
    losses = [max(a - b, 0.0) for a, b in zip(series, series[1:])]
    out = []
    for i in range(period, len(gains) + 1):
        g = sum(gains[i - period:i]) / period
        l = sum(losses[i - period:i]) / period
        out.append(100.0 if l == 0 else 100 - 100 / (1 + g / l))
    return out


def signals(values, low=30, high=70):
    for i, v in enumerate(values):
        if v < low:
            yield i, "buy"
        elif v > high:
            yield i, "sell"


if __name__ == "__main__":
    series = prices(200)
    r = rsi(series)
    print(f"last rsi {r[-1]:.2f}, {sum(1 for _ in signals(r))} signals")
