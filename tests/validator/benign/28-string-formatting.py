# Report formatting with f-strings, str.format and the string module.
import string

rows = [("alpha", 1234.5, 0.031), ("beta", -98.25, -0.004), ("gamma", 0.0, 0.0)]
header = "{:<8} {:>10} {:>8}".format("name", "pnl", "ret")
print(header)
for name, pnl, ret in rows:
    print(f"{name:<8} {pnl:>10,.2f} {ret:>8.2%}")
print(string.capwords("daily report for desk seven"))
print(all(c in string.ascii_letters for c in "Strategy"), string.digits[:5])
print("{0} vs {1}: {0}".format("a", "b"), "{0[0]} and {0[1]}".format(["x", "y"]))
total = sum(r[1] for r in rows)
print(f"{'total':<8} {total:>10.2f}")
