# A position state machine with enum.
import enum


class State(enum.Enum):
    FLAT = "flat"
    LONG = "long"
    SHORT = "short"


class Signal(enum.IntEnum):
    SELL = -1
    HOLD = 0
    BUY = 1


@enum.unique
class Color(enum.Enum):
    RED = enum.auto()
    GREEN = enum.auto()


TRANSITIONS = {
    (State.FLAT, Signal.BUY): State.LONG,
    (State.FLAT, Signal.SELL): State.SHORT,
    (State.LONG, Signal.SELL): State.FLAT,
    (State.SHORT, Signal.BUY): State.FLAT,
}

state = State.FLAT
for s in [Signal.BUY, Signal.HOLD, Signal.SELL, Signal.SELL, Signal.BUY]:
    state = TRANSITIONS.get((state, s), state)
    print(s.name, state.value)
print(isinstance(state, enum.Enum), Color.GREEN.value, Signal(1) is Signal.BUY)
