# Stateful indicators built from closures, nonlocal and global counters.
RUNS = 0


def make_rsi(period=14):
    gains, losses = [], []
    last = None

    def update(price):
        nonlocal last
        if last is not None:
            change = price - last
            gains.append(max(change, 0))
            losses.append(max(-change, 0))
            del gains[:-period], losses[:-period]
        last = price
        if len(gains) < period:
            return None
        avg_loss = sum(losses) / period
        if avg_loss == 0:
            return 100.0
        rs = (sum(gains) / period) / avg_loss
        return 100 - 100 / (1 + rs)

    return update


def run(prices):
    global RUNS
    RUNS += 1
    rsi = make_rsi(5)
    return [r for r in map(rsi, prices) if r is not None]


if __name__ == "__main__":
    try:
        values = run([44, 44.3, 44.1, 44.2, 44.5, 43.9, 44.6, 45.0, 45.3, 45.1])
        assert all(0 <= v <= 100 for v in values)
        print([f"{v:.1f}" for v in values], RUNS)
    except (ValueError, ZeroDivisionError) as exc:
        print("failed:", exc)
    finally:
        print("done")
