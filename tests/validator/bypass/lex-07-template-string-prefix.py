# Technique: unknown string prefixes: t"..." is a template string in 3.14
# whose {} fields are evaluated, but a name followed by a string in older
# lexers: refuse prefixes the lexer does not know.
# expect: lex.string-prefix
print(t"{__import__('os').system('id')}")
