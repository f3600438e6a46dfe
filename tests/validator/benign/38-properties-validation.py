# Validated attributes with properties and setters.
class Position:
    def __init__(self, symbol, qty):
        self.symbol = symbol
        self._qty = 0
        self.qty = qty

    @property
    def qty(self):
        return self._qty

    @qty.setter
    def qty(self, value):
        if not isinstance(value, int):
            raise TypeError("qty must be an int")
        self._qty = value

    @property
    def side(self):
        return "long" if self._qty > 0 else "short" if self._qty < 0 else "flat"


p = Position("A", 10)
p.qty -= 15
print(p.symbol, p.qty, p.side)
try:
    p.qty = 1.5
except TypeError as e:
    print(e)
