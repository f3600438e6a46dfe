# Technique: ForwardRef('...')._evaluate(...) is eval in disguise.
# expect: policy.module-attribute
import typing
typing.ForwardRef("print(1)")._evaluate(globals(), None, frozenset())
