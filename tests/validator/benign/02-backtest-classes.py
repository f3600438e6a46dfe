# A small event-driven backtest with a portfolio class and a strategy class.
import statistics


class Portfolio:
    def __init__(self, cash=10_000.0):
        self.cash = cash
        self.position = 0
        self.trades = []

    def buy(self, price, qty):
        cost = price * qty
        if cost > self.cash:
            qty = int(self.cash // price)
            cost = price * qty
        self.cash -= cost
        self.position += qty
        self.trades.append(("buy", price, qty))

    def sell(self, price, qty):
        qty = min(qty, self.position)
        self.cash += price * qty
        self.position -= qty
        self.trades.append(("sell", price, qty))

    def value(self, price):
        return self.cash + self.position * price

    def __repr__(self):
        return f"Portfolio(cash={self.cash:.2f}, position={self.position})"


class MeanReversion:
    def __init__(self, window=10, threshold=1.5):
        self.window = window
        self.threshold = threshold
        self.history = []

    def decide(self, price):
        self.history.append(price)
        if len(self.history) < self.window:
            return 0
        recent = self.history[-self.window:]
        mu = statistics.mean(recent)
        sd = statistics.pstdev(recent) or 1.0
        z = (price - mu) / sd
        if z < -self.threshold:
            return 1
        if z > self.threshold:
            return -1
        return 0


def run(prices):
    book, strat = Portfolio(), MeanReversion()
    for p in prices:
        d = strat.decide(p)
        if d > 0:
            book.buy(p, 10)
        elif d < 0:
            book.sell(p, 10)
    return book


if __name__ == "__main__":
    series = [100, 101, 99, 98, 97, 103, 104, 99, 95, 96, 100, 102, 101, 99, 94, 97, 101, 105]
    result = run(series)
    print(result, "final value", round(result.value(series[-1]), 2))
