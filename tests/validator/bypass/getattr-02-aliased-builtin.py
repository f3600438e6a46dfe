# Technique: binding getattr to an innocent name first, so later calls
# do not mention it.
# expect: policy.builtin
fetch = getattr
fetch(1, "real")
