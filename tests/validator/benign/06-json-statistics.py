# Parses a JSON price feed and summarises it with the statistics module.
import json
import statistics

FEED = """
[
  {"symbol": "AAA", "close": 10.5},
  {"symbol": "AAA", "close": 10.9},
  {"symbol": "BBB", "close": 55.0},
  {"symbol": "BBB", "close": 54.2},
  {"symbol": "AAA", "close": 11.3}
]
"""


def summarise(records):
    by_symbol = {}
    for r in records:
        by_symbol.setdefault(r["symbol"], []).append(r["close"])
    return {
        s: {
            "mean": statistics.mean(v),
            "median": statistics.median(v),
            "stdev": statistics.stdev(v) if len(v) > 1 else 0.0,
        }
        for s, v in by_symbol.items()
    }


if __name__ == "__main__":
    data = json.loads(FEED)
    print(json.dumps(summarise(data), indent=2, sort_keys=True))
