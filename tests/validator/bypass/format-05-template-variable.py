# Technique: the format string is a variable, so its content is only known
# at run time.
# expect: policy.format
template = "{0.__class__}"
print(template.format(1))
