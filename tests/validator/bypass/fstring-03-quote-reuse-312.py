# Technique: 3.12 lets a field reuse the f-string's own quote; a 3.11-style
# lexer ends the string early and reads the rest differently (and vice
# versa), so the two disagree on what is code.
# expect: lex.fstring-quote
print(f"{"__import__('os').system('id')"}")
