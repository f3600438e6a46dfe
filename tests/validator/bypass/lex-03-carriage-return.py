# Technique: a lone carriage return is a newline to CPython but not to a
# line-based scanner: 'import os' below looks like part of a comment.
# expect: byte.control
# harmless commentimport osprint(os.getcwd())
