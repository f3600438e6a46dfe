# typing's ForwardRef may compile its string; a str subclass whose __getitem__ is a partial of compile runs under its frame with the program's own source and file name: only the name '<string>' ForwardRef gives is compiled there (code compiled so still never runs)
# guard: compile
import functools, typing


class Text(str):
    __getitem__ = functools.partial(compile, 'print("PWN")', '<chosen>', 'exec')


typing.ForwardRef(Text('x'))
print('PWN', 'compiled')
