# Technique: alias exec through a container so the call site is innocent.
# expect: policy.builtin
tools = {"run": exec}
tools["run"]("print(1)")
