# Portfolio weights with dict and set comprehensions.
holdings = {"A": 10, "B": 0, "C": 25, "D": 5}
prices = {"A": 12.0, "B": 40.0, "C": 3.5, "D": 20.0}
values = {s: q * prices[s] for s, q in holdings.items() if q}
total = sum(values.values())
weights = {s: round(v / total, 4) for s, v in sorted(values.items())}
heavy = {s for s, w in weights.items() if w > 0.3}
matrix = [[i * j for j in range(3)] for i in range(3)]
flat = [x for row in matrix for x in row if x % 2 == 0]
print(weights, sorted(heavy), flat)
print(max(weights, key=weights.get), (n := len(weights)), n * 2)
