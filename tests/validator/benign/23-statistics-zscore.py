# Z-score mean reversion with the statistics module.
import statistics

prices = [100, 101, 103, 102, 99, 98, 97, 99, 101, 104, 106, 103, 100, 98, 95, 96]


def zscores(values, window=5):
    out = []
    for i in range(window, len(values)):
        chunk = values[i - window:i]
        mu = statistics.fmean(chunk)
        sd = statistics.pstdev(chunk) or 1.0
        out.append((values[i] - mu) / sd)
    return out


z = zscores(prices)
positions = [-1 if x > 1 else 1 if x < -1 else 0 for x in z]
print([round(x, 2) for x in z])
print(positions, statistics.median(prices), statistics.mode([1, 2, 2, 3]))
