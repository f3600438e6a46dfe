# Strategy interface with abc and two implementations.
from abc import ABC, abstractmethod


class Strategy(ABC):
    @abstractmethod
    def decide(self, price, history):
        raise NotImplementedError

    def run(self, prices):
        history, actions = [], []
        for p in prices:
            actions.append(self.decide(p, history))
            history.append(p)
        return actions


class Momentum(Strategy):
    def decide(self, price, history):
        if len(history) < 2:
            return "hold"
        return "buy" if price > history[-1] > history[-2] else "hold"


class MeanReversion(Strategy):
    def decide(self, price, history):
        if not history:
            return "hold"
        avg = sum(history) / len(history)
        return "sell" if price > avg * 1.02 else "buy" if price < avg * 0.98 else "hold"


prices = [10, 11, 12, 11, 10, 9, 10, 12]
for s in (Momentum(), MeanReversion()):
    print(type(s) is Momentum, s.run(prices))
try:
    Strategy()
except TypeError:
    print("abstract")
