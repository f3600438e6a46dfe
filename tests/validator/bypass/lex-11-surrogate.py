# Technique: UTF-8-encoded surrogates (ED A0 80) are invalid UTF-8 that
# some decoders pass through; refuse them.
# expect: byte.utf8
s = "í €"
