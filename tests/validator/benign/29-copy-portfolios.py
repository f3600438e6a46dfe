# Scenario analysis on deep copies of a portfolio.
import copy


class Portfolio:
    def __init__(self, cash, holdings):
        self.cash = cash
        self.holdings = holdings

    def value(self, prices):
        return self.cash + sum(q * prices[s] for s, q in self.holdings.items())


base = Portfolio(1000.0, {"A": 10, "B": [5][0]})
prices = {"A": 20.0, "B": 50.0}
scenarios = []
for shock in (-0.2, 0.0, 0.2):
    p = copy.deepcopy(base)
    p.holdings["A"] += 1
    shocked = {s: v * (1 + shock) for s, v in prices.items()}
    scenarios.append(round(p.value(shocked), 2))
shallow = copy.copy(base)
print(scenarios, base.holdings["A"], shallow.holdings is base.holdings)
