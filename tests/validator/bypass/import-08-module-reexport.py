# Technique: module attribute re-exports: random._os, json.decoder.re,
# datetime.sys ... an allowed module is a door to others.
# expect: policy.module-attribute
import random
random._os.system("id")
