# Black-Scholes call prices with math.
import math


def norm_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def call(s, k, t, r, sigma):
    d1 = (math.log(s / k) + (r + sigma ** 2 / 2) * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    return s * norm_cdf(d1) - k * math.exp(-r * t) * norm_cdf(d2)


for strike in (90, 100, 110):
    print(strike, round(call(100, strike, 0.5, 0.01, 0.2), 4))
print(math.isfinite(call(100, 100, 1, 0, 0.3)), math.comb(10, 3), math.fsum([0.1] * 10))
