# Walking a tree of sub-strategies with yield from.
def walk(node, depth=0):
    name, children = node
    yield depth, name
    for child in children:
        yield from walk(child, depth + 1)


tree = ("root", [("trend", [("fast", []), ("slow", [])]), ("carry", [])])
for depth, name in walk(tree):
    print("  " * depth + name)


def averaging():
    total, n = 0.0, 0
    avg = None
    while True:
        x = yield avg
        total += x
        n += 1
        avg = total / n


g = averaging()
next(g)
print([g.send(x) for x in (1, 2, 3)])
