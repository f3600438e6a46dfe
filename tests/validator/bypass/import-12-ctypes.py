# Technique: ctypes calls libc directly (smolagents issue 2094).
# expect: policy.import
import ctypes
ctypes.CDLL(None).system(b"id")
