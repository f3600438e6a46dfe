# Ranking instruments with sort keys, min/max and reversed.
instruments = [
    {"sym": "A", "sharpe": 1.2, "vol": 0.2},
    {"sym": "B", "sharpe": 0.8, "vol": 0.1},
    {"sym": "C", "sharpe": 1.2, "vol": 0.15},
]
ranked = sorted(instruments, key=lambda d: (-d["sharpe"], d["vol"]))
print([d["sym"] for d in ranked])
print(min(instruments, key=lambda d: d["vol"])["sym"], [d["sym"] for d in reversed(ranked)])
print(list(enumerate(d["sym"] for d in ranked)), any(d["vol"] > 0.19 for d in instruments))
print(divmod(17, 5), round(2.675, 2), abs(-3), pow(2, 10, 1000), bin(10), hex(255))
