# Serialise backtest results to JSON and back.
import json
from dataclasses import asdict, dataclass


@dataclass
class Result:
    name: str
    pnl: float
    trades: int


results = [Result("a", 12.5, 3), Result("b", -4.0, 7)]
text = json.dumps([asdict(r) for r in results], indent=2, sort_keys=True)
back = [Result(**d) for d in json.loads(text)]
print(back == results, len(text.splitlines()))
try:
    json.loads("{bad json}")
except json.JSONDecodeError as e:
    print("decode error at", e.pos)
