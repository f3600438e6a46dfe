# -*- coding: utf-8 -*-
# Windows line ends and a coding line, as some generators write.
import math


def cagr(start, end, years):
    return (end / start) ** (1 / years) - 1


note = """multi
line"""
print(round(cagr(100, 150, 3), 6), math.floor(2.7), note.count("\n"))
