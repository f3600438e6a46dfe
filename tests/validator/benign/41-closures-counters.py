# Closures keeping running statistics.
def running_mean():
    total = 0.0
    count = 0

    def add(x):
        nonlocal total, count
        total += x
        count += 1
        return total / count
    return add


def make_threshold(level):
    return lambda x: x > level


mean = running_mean()
values = [mean(x) for x in [2, 4, 6, 8]]
above = list(filter(make_threshold(4), [1, 5, 7, 3]))
print(values, above)
