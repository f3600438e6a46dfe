# Technique: "\{" in an f-string: a lexer that treats the backslash as
# escaping the brace sees literal text, CPython opens a replacement field.
# expect: lex.fstring-escape
print(f"\{__import__('os').system('id')}")
