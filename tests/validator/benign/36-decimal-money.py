# Exact money arithmetic with decimal and fractions.
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

fees = [Decimal("0.015"), Decimal("0.025"), Decimal("0.035")]
rounded = [f.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) for f in fees]
print(rounded, sum(rounded))
with localcontext() as ctx:
    ctx.prec = 6
    print(Decimal(1) / Decimal(7))
split = Fraction(1, 3)
print(split * 3 == 1, Fraction("0.25") + split, float(split))
