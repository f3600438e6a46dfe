# a second audit hook
# guard: sys.addaudithook
import sys
sys.addaudithook(lambda e, a: None)
