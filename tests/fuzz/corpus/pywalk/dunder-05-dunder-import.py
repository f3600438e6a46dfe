# Technique: __import__ with a string built at run time, so no 'import os'
# statement ever appears (defeats regex policies like llm-sandbox's).
# expect: policy.dunder
name = "".join(["o", "s"])
__import__(name).system("id")
