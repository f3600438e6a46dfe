# Exact money arithmetic with decimal and fractions.
from decimal import Decimal, ROUND_HALF_EVEN, localcontext
from fractions import Fraction


def allocate(total, weights):
    total = Decimal(total)
    parts = [total * Decimal(w) for w in weights]
    rounded = [p.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) for p in parts]
    rounded[-1] += total - sum(rounded)
    return rounded


def kelly(p_win, odds):
    p = Fraction(p_win)
    b = Fraction(odds)
    return (b * p - (1 - p)) / b


if __name__ == "__main__":
    with localcontext() as ctx:
        ctx.prec = 28
        print(allocate("1000.00", ["0.3333", "0.3333", "0.3334"]))
    print(kelly("0.55", 1), float(kelly("3/5", 2)))
