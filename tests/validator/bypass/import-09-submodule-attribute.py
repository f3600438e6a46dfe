# Technique: json.decoder is a module object reached as an attribute of an
# allowed module; from there .re, .sys ...
# expect: policy.module-attribute
import json
print(json.decoder.re)
