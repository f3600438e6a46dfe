# Parse trade lines with regular expressions and aggregate by ticker.
import re
from collections import defaultdict

LINES = """
2024-01-02 BUY AAPL 10 @ 185.20
2024-01-02 SELL MSFT 5 @ 370.10
2024-01-03 BUY AAPL 4 @ 184.00
bad line here
2024-01-04 SELL AAPL 6 @ 186.50
"""

PATTERN = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<side>BUY|SELL) (?P<sym>[A-Z]+) (?P<qty>\d+) @ (?P<px>[\d.]+)$")

position = defaultdict(int)
cash = 0.0
for line in LINES.strip().splitlines():
    m = PATTERN.match(line)
    if not m:
        continue
    qty = int(m.group("qty")) * (1 if m.group("side") == "BUY" else -1)
    position[m.group("sym")] += qty
    cash -= qty * float(m.group("px"))
print(dict(position), round(cash, 2))
print(re.sub(r"\d", "#", "order 123 at 45"))
