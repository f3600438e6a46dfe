# Simple moving-average crossover on a synthetic price series.
import math


def sma(values, n):
    out = []
    total = 0.0
    for i, v in enumerate(values):
        total += v
        if i >= n:
            total -= values[i - n]
        out.append(total / n if i >= n - 1 else math.nan)
    return out


def crossover_signals(prices, fast=5, slow=20):
    f, s = sma(prices, fast), sma(prices, slow)
    signals = []
    for i in range(1, len(prices)):
        if math.isnan(s[i - 1]):
            continue
        if f[i - 1] <= s[i - 1] and f[i] > s[i]:
            signals.append((i, "buy"))
        elif f[i - 1] >= s[i - 1] and f[i] < s[i]:
            signals.append((i, "sell"))
    return signals


if __name__ == "__main__":
    prices = [100 + 5 * math.sin(i / 6) + i * 0.05 for i in range(300)]
    for day, side in crossover_signals(prices):
        print(f"day {day:>3}: {side} at {prices[day]:.2f}")
