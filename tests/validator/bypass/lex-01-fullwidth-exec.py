# Technique: NFKC normalisation: CPython folds fullwidth letters in
# identifiers, so the fullwidth spelling below IS exec, while a byte-level
# denylist sees an unknown name.
# expect: byte.non-ascii
ｅｘｅｃ("print('pwned')")
