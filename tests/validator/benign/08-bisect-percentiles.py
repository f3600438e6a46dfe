# Percentile lookups with bisect, and position sizing by volatility bucket.
import bisect

BREAKS = [0.01, 0.02, 0.035, 0.05]
SIZES = [1.0, 0.8, 0.6, 0.4, 0.2]


def size_for(volatility):
    return SIZES[bisect.bisect_right(BREAKS, volatility)]


def percentile_rank(sorted_values, x):
    return bisect.bisect_left(sorted_values, x) / len(sorted_values)


if __name__ == "__main__":
    vols = sorted([0.012, 0.04, 0.021, 0.005, 0.07, 0.033])
    for v in vols:
        print(f"vol={v:.3f} size={size_for(v):.1f} rank={percentile_rank(vols, v):.2f}")
    history = []
    for x in [5, 1, 4, 2, 3]:
        bisect.insort(history, x)
    print(history)
