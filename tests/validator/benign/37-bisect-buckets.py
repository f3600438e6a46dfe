# Bucketing returns into grades with bisect.
import bisect

breakpoints = [-0.05, -0.01, 0.01, 0.05]
grades = "FDCBA"


def grade(r):
    return grades[bisect.bisect(breakpoints, r)]


returns = [-0.08, -0.02, 0.0, 0.02, 0.09]
print([grade(r) for r in returns])
book = []
for px in [10.5, 10.1, 10.9, 10.3]:
    bisect.insort(book, px)
print(book, bisect.bisect_left(book, 10.3))
