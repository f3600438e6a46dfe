# A strategy interface with typing annotations, TypeVar and generics.
from typing import Dict, Iterable, Iterator, List, Tuple, TypeVar, Generic, Callable

T = TypeVar("T")


class Window(Generic[T]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: List[T] = []

    def push(self, item: T) -> None:
        self.items.append(item)
        if len(self.items) > self.size:
            self.items.pop(0)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


def apply(rule: Callable[[float, float], int], pairs: Iterable[Tuple[float, float]]) -> Dict[int, int]:
    tally: Dict[int, int] = {}
    for a, b in pairs:
        k = rule(a, b)
        tally[k] = tally.get(k, 0) + 1
    return tally


if __name__ == "__main__":
    w: Window[float] = Window(3)
    for x in [1.0, 2.0, 3.0, 4.0]:
        w.push(x)
    print(list(w), len(w))
    print(apply(lambda a, b: (a > b) - (a < b), [(1, 2), (2, 1), (3, 3)]))
