# Technique: class-hierarchy walk. From any literal, __class__ -> __base__
# (object) -> __subclasses__() lists every loaded class, among them
# os._wrap_close whose __init__.__globals__ holds os.system. The classic
# pyjail escape (pysandbox, smolagents CVE-2025-9959).
# expect: policy.dunder
for c in ().__class__.__base__.__subclasses__():
    if c.__name__ == "_wrap_close":
        c.__init__.__globals__["system"]("id")
