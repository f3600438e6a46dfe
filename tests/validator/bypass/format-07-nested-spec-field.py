# Technique: a replacement field nested inside the format spec traverses
# attributes even when the outer field looks plain.
# expect: policy.format
print("{0:{1.__class__}}".format(1, 2))
