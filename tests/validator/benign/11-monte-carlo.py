# Monte Carlo simulation of a random walk with a seeded generator.
import random
import statistics
import math


def simulate(paths=200, steps=250, mu=0.0002, sigma=0.01, seed=7):
    rng = random.Random(seed)
    finals = []
    for _ in range(paths):
        price = 100.0
        for _ in range(steps):
            price *= math.exp(rng.gauss(mu, sigma))
        finals.append(price)
    return finals


if __name__ == "__main__":
    finals = simulate()
    q = statistics.quantiles(finals, n=20)
    print(f"mean={statistics.fmean(finals):.2f} p5={q[0]:.2f} p95={q[-1]:.2f}")
    random.seed(1)
    print(random.choice(["a", "b", "c"]), random.randint(1, 6))
