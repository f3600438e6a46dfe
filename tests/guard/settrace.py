# a trace function sees every frame
# guard: sys.settrace
import sys
sys.settrace(lambda *a: None)
