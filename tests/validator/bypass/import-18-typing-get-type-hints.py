# Technique: typing.get_type_hints evaluates string annotations with eval:
# code hidden in an annotation string runs.
# expect: policy.import-name
from typing import get_type_hints

def f(x: "__import__('os').system('id')"):
    pass

get_type_hints(f)
