# Technique: item traversal in a format field: "{0[key]}" calls
# __getitem__ with an attacker-chosen key.
# expect: policy.format
print("{0[secret]}".format({"secret": 42}))
