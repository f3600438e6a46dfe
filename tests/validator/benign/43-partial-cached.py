# functools.partial and cached_property in a pricing model.
import functools
import math


def discount(rate, years, amount):
    return amount / (1 + rate) ** years


five_percent = functools.partial(discount, 0.05)


class Bond:
    def __init__(self, face, coupon, years):
        self.face = face
        self.coupon = coupon
        self.years = years

    @functools.cached_property
    def price(self):
        flows = [self.face * self.coupon] * self.years
        flows[-1] += self.face
        return sum(five_percent(t + 1, f) for t, f in enumerate(flows))


b = Bond(100, 0.04, 3)
print(round(b.price, 4), round(five_percent(2, 100), 4), math.isclose(b.price, b.price))
