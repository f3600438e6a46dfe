# Parameter sweeps with itertools.
import itertools

lookbacks = [5, 10, 20]
thresholds = [0.5, 1.0]
grid = list(itertools.product(lookbacks, thresholds))
print(len(grid), grid[:3])
pairs = list(itertools.combinations("ABCD", 2))
print(pairs)
print(list(itertools.accumulate([1, 2, 3, 4], lambda a, b: a * b)))
print([k for k, g in itertools.groupby("AAABBC")], list(itertools.pairwise([1, 2, 4])))
print(list(itertools.chain.from_iterable([[1, 2], [3]])), list(itertools.starmap(pow, [(2, 3), (3, 2)])))
print(list(itertools.zip_longest([1, 2], "abc", fillvalue=0)), list(itertools.takewhile(lambda x: x < 3, [1, 2, 5, 1])))
