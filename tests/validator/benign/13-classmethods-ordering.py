# Instruments with classmethod constructors, staticmethods, ordering and slots.
from functools import total_ordering


@total_ordering
class Instrument:
    __slots__ = ("symbol", "tick")

    def __init__(self, symbol, tick=0.01):
        self.symbol = symbol
        self.tick = tick

    @classmethod
    def from_string(cls, text):
        symbol, tick = text.split(":")
        return cls(symbol, float(tick))

    @staticmethod
    def round_to_tick(price, tick):
        return round(round(price / tick) * tick, 10)

    def __eq__(self, other):
        return self.symbol == other.symbol

    def __lt__(self, other):
        return self.symbol < other.symbol

    def __hash__(self):
        return hash(self.symbol)

    def __str__(self):
        return "{}({})".format(self.symbol, self.tick)


if __name__ == "__main__":
    xs = sorted([Instrument.from_string("ZZZ:0.05"), Instrument("AAA"), Instrument("MMM", 0.5)])
    print([str(x) for x in xs])
    print(Instrument.round_to_tick(10.037, 0.05))
