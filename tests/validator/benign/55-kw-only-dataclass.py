# Frozen dataclasses with keyword-only fields, replace and asdict.
import dataclasses
from dataclasses import KW_ONLY, asdict, astuple, dataclass, replace


@dataclass(frozen=True)
class Params:
    lookback: int
    _: KW_ONLY
    risk: float = 0.01
    name: str = "base"

    def __post_init__(self):
        if self.lookback <= 0:
            raise ValueError("lookback")


p = Params(20, risk=0.02)
q = replace(p, name="tuned")
print(asdict(q), astuple(p), dataclasses.is_dataclass(p))
try:
    p.risk = 1.0
except dataclasses.FrozenInstanceError:
    print("frozen")
