# Dispatch on value types with type() comparisons and isinstance.
def describe(x):
    if type(x) is bool:
        return "flag"
    if type(x) == int:
        return "count"
    if isinstance(x, float):
        return "price"
    if type(x) in (list, tuple):
        return f"series of {len(x)}"
    return "other"


print([describe(v) for v in (True, 3, 2.5, [1, 2], (1,), "x")])
