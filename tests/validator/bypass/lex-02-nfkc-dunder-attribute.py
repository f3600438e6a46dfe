# Technique: NFKC again, on a dunder attribute (mathematical bold c).
# expect: byte.non-ascii
print(().__𝐜lass__)
