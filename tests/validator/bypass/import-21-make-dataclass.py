# Technique: make_dataclass generates and execs source from its
# arguments; keep code generators out of reach.
# expect: policy.module-attribute
import dataclasses
dataclasses.make_dataclass("X", [("a", int)])
