# a frame through an exception's traceback
# guard: object.__getattr__
try:
    1 / 0
except ZeroDivisionError as e:
    print(e.__traceback__.tb_frame.f_back)
