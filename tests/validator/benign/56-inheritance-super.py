# Layered strategies with inheritance and super().
class Base:
    def __init__(self, name):
        self.name = name
        self.log = []

    def on_bar(self, bar):
        self.log.append(("base", bar))
        return 0


class Trend(Base):
    def __init__(self, name, fast, slow):
        super().__init__(name)
        self.fast = fast
        self.slow = slow

    def on_bar(self, bar):
        super().on_bar(bar)
        return 1 if self.fast > self.slow else -1


class Filtered(Trend):
    def on_bar(self, bar):
        signal = super().on_bar(bar)
        return signal if bar > 10 else 0


f = Filtered("f", 5, 3)
print([f.on_bar(b) for b in (9, 11)], len(f.log), issubclass(Filtered, Base))
