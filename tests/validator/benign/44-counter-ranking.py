# Ranking signals with Counter, OrderedDict and deque.
from collections import ChainMap, Counter, OrderedDict, deque

signals = ["buy", "hold", "buy", "sell", "buy", "hold"]
counts = Counter(signals)
print(counts.most_common(2), counts["sell"])
recent = deque(maxlen=3)
for s in signals:
    recent.append(s)
print(list(recent))
ordered = OrderedDict(sorted(counts.items()))
ordered.move_to_end("buy")
print(list(ordered))
defaults = {"risk": 0.01, "lookback": 10}
overrides = {"risk": 0.02}
print(dict(ChainMap(overrides, defaults)))
