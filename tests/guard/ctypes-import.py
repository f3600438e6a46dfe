# ctypes
# guard: import
import ctypes
ctypes.CDLL(None)
