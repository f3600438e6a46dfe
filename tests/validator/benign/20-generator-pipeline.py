# A lazy pipeline of generators: windows, filters and a running maximum.
import itertools


def ticks(n):
    value = 50
    for i in range(n):
        value += (i * 7919) % 11 - 5
        yield value


def windows(iterable, size):
    it = iter(iterable)
    window = list(itertools.islice(it, size))
    if len(window) == size:
        yield tuple(window)
    for x in it:
        window = window[1:] + [x]
        yield tuple(window)


def running_max(iterable):
    best = None
    for x in iterable:
        best = x if best is None or x > best else best
        yield best


averages = (sum(w) / len(w) for w in windows(ticks(100), 5))
rising = [a for a in averages if a > 50]
print(len(rising), list(running_max(ticks(10))))
