# Technique: breakpoint() enters pdb (or PYTHONBREAKPOINT's hook).
# expect: policy.builtin
breakpoint()
