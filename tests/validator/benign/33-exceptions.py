# Error handling with the ordinary exception classes.
class RiskLimit(Exception):
    pass


def check(position, limit):
    if abs(position) > limit:
        raise RiskLimit(f"position {position} over {limit}")
    return position


results = []
for pos in (5, -20, 3):
    try:
        results.append(check(pos, 10))
    except RiskLimit as e:
        results.append(str(e))
    finally:
        results.append("checked")

for exc in (OSError("disk"), NameError("x"), ImportError("m"), MemoryError(), KeyError("k")):
    try:
        raise exc
    except (OSError, NameError, ImportError) as e:
        results.append(type(e) is OSError)
    except (MemoryError, LookupError) as e:
        results.append("other")
print(results)
try:
    raise SystemExit(0) if False else ZeroDivisionError("z")
except ZeroDivisionError as e:
    print("caught", e)
