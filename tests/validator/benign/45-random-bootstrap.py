# Bootstrap confidence interval of the mean return.
import random
import statistics

rng = random.Random(42)
returns = [rng.gauss(0.001, 0.02) for _ in range(250)]


def bootstrap(sample, n, rng):
    means = []
    for _ in range(n):
        draw = rng.choices(sample, k=len(sample))
        means.append(statistics.fmean(draw))
    means.sort()
    return means[int(0.025 * n)], means[int(0.975 * n)]


low, high = bootstrap(returns, 200, rng)
print(f"{low:.5f} {high:.5f}", low < statistics.fmean(returns) < high)
deck = list(range(10))
rng.shuffle(deck)
print(deck, rng.randint(1, 6), rng.sample(range(100), 3))
