# Dispatch on value types with type() identity checks and isinstance.
def describe(x):
    if type(x) is bool:
        return "flag"
    if type(x) is int:
        return "count"
    if isinstance(x, float):
        return "price"
    if type(x) is list or type(x) is tuple:
        return f"series of {len(x)}"
    return "other"


print([describe(v) for v in (True, 3, 2.5, [1, 2], (1,), "x")])
