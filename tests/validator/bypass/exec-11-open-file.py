# Technique: reading host files (and /proc/self/mem) with open().
# expect: policy.builtin
print(open("/etc/passwd").read())
