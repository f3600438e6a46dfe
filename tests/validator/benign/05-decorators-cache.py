# Memoised indicators with functools decorators and a local timing decorator.
import functools
from functools import lru_cache, wraps


def counted(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return fn(*args, **kwargs)
    wrapper.calls = 0
    return wrapper


@lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@counted
def ema(values, alpha=0.3):
    out, acc = [], None
    for v in values:
        acc = v if acc is None else alpha * v + (1 - alpha) * acc
        out.append(acc)
    return out


@functools.cache
def binomial(n, k):
    if k in (0, n):
        return 1
    return binomial(n - 1, k - 1) + binomial(n - 1, k)


if __name__ == "__main__":
    print(fib(60), binomial(20, 10))
    print([round(x, 3) for x in ema([1, 2, 3, 4, 5, 4, 3])], ema.calls)
