# Technique: a caught exception's __traceback__ -> tb_frame -> f_globals /
# f_back climbs to the caller's frames and their globals.
# expect: policy.dunder
try:
    1 / 0
except ZeroDivisionError as e:
    frame = e.__traceback__.tb_frame
    print(frame.f_back.f_globals)
