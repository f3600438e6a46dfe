# Postponed annotations with dataclasses and forward references.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Node:
    value: float
    children: list[Node] = field(default_factory=list)
    parent: Optional[Node] = None

    def add(self, value: float) -> Node:
        child = Node(value, parent=self)
        self.children.append(child)
        return child

    def total(self) -> float:
        return self.value + sum(c.total() for c in self.children)


root = Node(1.0)
a = root.add(2.0)
a.add(3.5)
root.add(4.0)
print(root.total(), len(root.children), a.parent is root)
