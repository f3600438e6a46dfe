# Technique: string.Formatter().get_field does the traversal as an API
# (RestrictedPython CVE-2024-47532).
# expect: policy.module-attribute
import string
print(string.Formatter().get_field("0.__class__", [1], {}))
