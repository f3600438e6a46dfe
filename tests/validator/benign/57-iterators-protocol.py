# A custom iterator and container protocol.
class Window:
    def __init__(self, data, size):
        self.data = data
        self.size = size

    def __iter__(self):
        self.i = 0
        return self

    def __next__(self):
        if self.i + self.size > len(self.data):
            raise StopIteration
        chunk = self.data[self.i:self.i + self.size]
        self.i += 1
        return chunk

    def __len__(self):
        return max(len(self.data) - self.size + 1, 0)

    def __getitem__(self, k):
        return self.data[k:k + self.size]

    def __contains__(self, x):
        return x in self.data


w = Window([1, 2, 3, 4, 5], 3)
print(list(w), len(w), w[1], 4 in w, 9 in w)
