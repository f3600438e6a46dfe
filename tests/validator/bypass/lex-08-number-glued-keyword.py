# Technique: a number glued to a keyword ("1if", "0x1for") is tokenised
# differently across CPython versions (3.12 warns, later versions may
# refuse), a classic source of lexer disagreement.
# expect: lex.number
x = 1if True else 2
