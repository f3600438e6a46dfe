# Typed containers with typing generics, TypeVar and overload.
from typing import Dict, Generic, List, Optional, Type, TypeVar, overload

T = TypeVar("T")


class Series(Generic[T]):
    def __init__(self, values: List[T]) -> None:
        self.values = values

    def last(self) -> Optional[T]:
        return self.values[-1] if self.values else None


@overload
def scale(x: int, k: int) -> int: ...
@overload
def scale(x: float, k: float) -> float: ...
def scale(x, k):
    return x * k


def make(kind: Type[Series], values: List[int]) -> Series:
    return kind(values)


prices: Dict[str, Series[float]] = {"A": Series([1.0, 2.5]), "B": Series([])}
print(prices["A"].last(), prices["B"].last(), scale(3, 4), scale(1.5, 2.0))
print(make(Series, [1, 2, 3]).last())
