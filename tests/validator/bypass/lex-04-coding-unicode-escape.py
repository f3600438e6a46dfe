# -*- coding: unicode_escape -*-
# Technique: a PEP 263 coding declaration makes CPython decode the file
# as unicode_escape: the \u000a inside the comment below becomes a real
# newline and the code after it runs. A UTF-8 lexer sees only a comment.
# expect: byte.coding
x = 1  # \u000aimport os; os.system('id')
