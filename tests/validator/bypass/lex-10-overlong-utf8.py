# Technique: an overlong UTF-8 encoding of '"' (C0 A2): a lenient decoder
# reads a quote where a strict one refuses the byte, so the two disagree
# on where a string ends.
# expect: byte.utf8
s = "abc¿¢ + __import__("os")
