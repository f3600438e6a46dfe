# Technique: every module has __loader__ / __spec__; loader.load_module
# imports any module (os) without an import statement.
# expect: policy.module-attribute
import math
osmod = math.__loader__.load_module("os")
