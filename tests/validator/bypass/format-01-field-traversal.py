# Technique: str.format field syntax walks attributes inside a string
# literal: "{0.__class__}" is attribute access no AST check sees (Jinja2
# 2016, smolagents and llama_index format-string fixes, RestrictedPython
# CVE-2023-41039).
# expect: policy.format
print("{0.__class__.__base__.__subclasses__}".format(()))
