# Technique: a parser hook receives attacker data and calls eval.
# expect: policy.builtin
import json
json.loads('{"a": "1+1"}', object_hook=lambda d: {k: eval(v) for k, v in d.items()})
