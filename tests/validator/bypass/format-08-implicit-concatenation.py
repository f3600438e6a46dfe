# Technique: adjacent literals are concatenated before .format runs:
# "{0." "__class__}" hides the field from a per-literal check.
# expect: policy.format
print("{0." "__class__}".format(1))
