# A trade journal as a context manager.
class Journal:
    def __init__(self, name):
        self.name = name
        self.entries = []
        self.closed = False

    def __enter__(self):
        self.entries.append("open")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.entries.append("error" if exc_type else "close")
        self.closed = True
        return exc_type is ValueError

    def log(self, text):
        self.entries.append(text)


with Journal("day1") as j:
    j.log("buy 10")
    j.log("sell 5")
print(j.entries, j.closed)
with Journal("day2") as k:
    k.log("oops")
    raise ValueError("bad fill")
print(k.entries)
