# _thread reached through dataclasses: no start_new_thread (it raises no event)
# guard: import
import dataclasses
t = dataclasses._thread
assert not hasattr(t, 'start_new_thread') and not hasattr(t, 'interrupt_main')
import _thread
