# Technique: getattr with a string assembled at run time evades every
# check on attribute tokens (smolagents CVE-2025-5120).
# expect: policy.builtin
attr = "__cla" + "ss__"
getattr((), attr)
