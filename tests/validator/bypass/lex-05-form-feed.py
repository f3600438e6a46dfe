# Technique: form feed resets CPython's indentation count, so the block
# structure CPython sees differs from what a reviewer or a simple lexer
# sees.
# expect: byte.control
if False:
    x = 1
    print("runs")
