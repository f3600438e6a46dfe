# Strategy parameters read from a JSON document and validated.
import json

CONFIG = """
{"name": "breakout", "lookback": 20, "risk": 0.02,
 "symbols": ["AAA", "BBB", "CCC"], "limits": {"max_positions": 3}}
"""


class ConfigError(ValueError):
    pass


def load(text):
    data = json.loads(text)
    if not 0 < data["risk"] < 0.1:
        raise ConfigError("risk out of range")
    if data["lookback"] <= 0:
        raise ConfigError("lookback must be positive")
    return data


try:
    cfg = load(CONFIG)
    print(cfg["name"], cfg["lookback"], ",".join(cfg["symbols"]))
    print(json.dumps(cfg["limits"], sort_keys=True))
    load('{"risk": 0.5, "lookback": 1}')
except ConfigError as err:
    print("config error:", err)
