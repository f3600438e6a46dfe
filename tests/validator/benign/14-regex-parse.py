# Parses trade log lines with regular expressions and counts symbols.
import re
from collections import Counter, defaultdict

LINE = re.compile(r"(?P<side>BUY|SELL)\s+(?P<qty>\d+)\s+(?P<sym>[A-Z]+)\s+@\s+(?P<px>\d+\.\d+)")

LOG = """BUY 100 ACME @ 12.50
SELL 50 ACME @ 12.90
BUY 10 INIT @ 101.25
garbage line
SELL 10 INIT @ 99.75"""


def parse(text):
    for line in text.splitlines():
        if (m := LINE.match(line)) is not None:
            yield m.group("side"), int(m.group("qty")), m.group("sym"), float(m.group("px"))


if __name__ == "__main__":
    counts = Counter(sym for _, _, sym, _ in parse(LOG))
    cash = defaultdict(float)
    for side, qty, sym, px in parse(LOG):
        cash[sym] += qty * px * (1 if side == "SELL" else -1)
    print(counts.most_common(), dict(cash))
