-- The default Layer 1 policy: an ALLOWLIST over a strict subset of Python
-- meant for numerical strategies. Anything this file does not allow is
-- refused. It is plain data; lua/sandprobe/validator.lua applies it to the
-- tokens of the strict lexer (engine/pyscan.c): its lists are compiled once
-- for the C walk (engine/pywalk.c), its context rules are the Lua functions
-- in validator.lua. A security team copies this
-- file, edits it and passes it with `sandprobe validate --policy FILE`.
-- Every rule id is described in docs/validator.md.
--
-- Reminders when editing:
--  * Never allow a module attribute that is itself a module (json.decoder,
--    collections.abc, datetime.sys, random._os, dataclasses.builtins ...):
--    modules are the doors back to os, sys and builtins.
--  * Never allow a function that turns a string into code or into an
--    attribute lookup (eval-like: typing.get_type_hints evaluates string
--    annotations; make_dataclass builds code; operator.attrgetter looks up
--    attributes by name).
local P = { name = "default", version = 1 }

-- Lexer limits (see include/sandprobe/pyscan.h).
P.limits = { max_bytes = 1024 * 1024, max_depth = 64, max_indent = 100 }

-- At most this many findings are reported for one source.
P.max_findings = 100

-- Importable modules and, for each, the only attributes that may be used
-- (as module.attr or in `from module import attr`). No submodules, no
-- relative imports, no `import *`.
P.modules = {
  math = {
    "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil", "comb",
    "copysign", "cos", "cosh", "degrees", "dist", "e", "erf", "erfc", "exp", "exp2", "expm1",
    "fabs", "factorial", "floor", "fmod", "frexp", "fsum", "gamma", "gcd", "hypot", "inf",
    "isclose", "isfinite", "isinf", "isnan", "isqrt", "lcm", "ldexp", "lgamma", "log",
    "log10", "log1p", "log2", "modf", "nan", "nextafter", "perm", "pi", "pow", "prod",
    "radians", "remainder", "sin", "sinh", "sqrt", "tan", "tanh", "tau", "trunc", "ulp",
  },
  statistics = {
    "NormalDist", "StatisticsError", "correlation", "covariance", "fmean", "geometric_mean",
    "harmonic_mean", "linear_regression", "mean", "median", "median_grouped", "median_high",
    "median_low", "mode", "multimode", "pstdev", "pvariance", "quantiles", "stdev", "variance",
  },
  datetime = {
    "date", "datetime", "time", "timedelta", "timezone", "tzinfo", "MINYEAR", "MAXYEAR", "UTC",
  },
  collections = {
    "ChainMap", "Counter", "OrderedDict", "defaultdict", "deque", "namedtuple",
  },
  itertools = {
    "accumulate", "batched", "chain", "combinations", "combinations_with_replacement",
    "compress", "count", "cycle", "dropwhile", "filterfalse", "groupby", "islice", "pairwise",
    "permutations", "product", "repeat", "starmap", "takewhile", "tee", "zip_longest",
  },
  functools = {
    "cache", "cached_property", "cmp_to_key", "lru_cache", "partial", "reduce",
    "total_ordering", "wraps",
  },
  json = { "dumps", "loads", "JSONDecodeError", "JSONDecoder", "JSONEncoder" },
  re = {
    "compile", "escape", "findall", "finditer", "fullmatch", "match", "search", "split", "sub",
    "subn", "error", "Match", "Pattern", "A", "ASCII", "I", "IGNORECASE", "M", "MULTILINE",
    "S", "DOTALL", "X", "VERBOSE", "NOFLAG",
  },
  decimal = {
    "Decimal", "Context", "localcontext", "getcontext", "setcontext", "BasicContext",
    "DefaultContext", "ExtendedContext", "DecimalException", "InvalidOperation",
    "DivisionByZero", "Inexact", "Rounded", "Overflow", "Underflow", "Clamped", "Subnormal",
    "FloatOperation", "ROUND_UP", "ROUND_DOWN", "ROUND_CEILING", "ROUND_FLOOR",
    "ROUND_HALF_UP", "ROUND_HALF_DOWN", "ROUND_HALF_EVEN", "ROUND_05UP",
  },
  fractions = { "Fraction" },
  heapq = {
    "heappush", "heappop", "heapify", "heapreplace", "heappushpop", "merge", "nlargest",
    "nsmallest",
  },
  bisect = { "bisect", "bisect_left", "bisect_right", "insort", "insort_left", "insort_right" },
  random = {
    "Random", "betavariate", "choice", "choices", "expovariate", "gammavariate", "gauss",
    "getrandbits", "lognormvariate", "normalvariate", "paretovariate", "randint", "random",
    "randrange", "sample", "seed", "shuffle", "triangular", "uniform", "vonmisesvariate",
    "weibullvariate",
  },
  -- No `fields`: it hands out the class's own Field objects, and a Field
  -- whose name was changed is pasted into the source a subclass's dataclass
  -- generates. asdict/astuple give the same data as copies.
  dataclasses = {
    "dataclass", "field", "asdict", "astuple", "replace", "is_dataclass",
    "FrozenInstanceError", "InitVar", "KW_ONLY", "MISSING",
  },
  -- Annotations only: no get_type_hints / ForwardRef / get_args (string
  -- annotations evaluated with eval, or handed out as ForwardRef objects).
  typing = {
    "Any", "Callable", "ClassVar", "Dict", "DefaultDict", "Deque", "Final", "FrozenSet",
    "Generator", "Generic", "Iterable", "Iterator", "List", "Literal", "Mapping",
    "MutableMapping", "MutableSequence", "NamedTuple", "NewType", "Optional", "Protocol",
    "Sequence", "Set", "Tuple", "TypeVar", "TypedDict", "Union", "cast", "TYPE_CHECKING",
    "Annotated", "Counter", "OrderedDict", "NoReturn", "Hashable", "Sized", "Collection",
    "Type", "overload",
  },
  -- `from __future__ import annotations` (annotations kept as strings; nothing
  -- evaluates them: get_type_hints stays refused).
  __future__ = { "annotations" },
  -- Enum classes are built only from class statements (base-class form
  -- below): the functional Enum('E', names) sets attributes named by strings.
  -- EnumMeta/EnumType are metaclasses and stay out.
  enum = { "Enum", "IntEnum", "Flag", "IntFlag", "StrEnum", "auto", "unique" },
  -- ABCMeta is a metaclass and stays out.
  abc = { "ABC", "abstractmethod" },
  -- Constants and capwords only: Formatter traverses fields ({0.x}) with
  -- getattr, Template is not needed.
  string = {
    "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits",
    "punctuation", "printable", "whitespace", "capwords",
  },
  -- copy and deepcopy call the copy protocol of the objects but hand out
  -- only copies.
  copy = { "copy", "deepcopy", "Error" },
  -- Clocks, sleep and time formatting: strftime/strptime read directives,
  -- never attribute names.
  time = {
    "time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns",
    "process_time", "process_time_ns", "sleep", "gmtime", "localtime", "mktime", "strftime",
    "strptime", "struct_time", "timezone", "altzone", "daylight", "tzname",
  },
}

-- Builtins that may be used. Every other name of Python's builtins module
-- (python_builtins below) is refused wherever it appears, so aliasing
-- (`e = eval`) is refused too: the alias needs the name.
-- Deliberately absent: eval exec compile __import__ getattr setattr delattr
-- globals locals vars dir open input breakpoint help exit quit memoryview id
-- aiter anext copyright credits license. hasattr and type are allowed in one
-- form each (P.restricted): hasattr(x, 'literal'); type(x) inside a
-- comparison (three-argument type() builds classes, and a kept type(x) of a
-- class is the metaclass, the first step of every class-hierarchy walk).
P.builtins = {
  "abs", "all", "any", "ascii", "bin", "bool", "bytearray", "bytes", "callable", "chr",
  "classmethod", "complex", "dict", "divmod", "enumerate", "filter", "float", "format",
  "frozenset", "hash", "hex", "int", "isinstance", "issubclass", "iter", "len", "list", "map",
  "max", "min", "next", "object", "oct", "ord", "pow", "print", "property", "range", "repr",
  "reversed", "round", "set", "slice", "sorted", "staticmethod", "str", "sum", "super",
  "tuple", "zip", "True", "False", "None", "NotImplemented", "Ellipsis",
  "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "Exception",
  "FloatingPointError", "IndexError", "KeyError", "LookupError", "NotImplementedError",
  "OverflowError", "RecursionError", "RuntimeError", "StopIteration", "TypeError",
  "ValueError", "ZeroDivisionError", "UnicodeError", "Warning", "UserWarning",
  "DeprecationWarning", "RuntimeWarning", "GeneratorExit",
  -- Exception classes: raising, catching or building one reads no attribute
  -- by name and runs no code (their arguments are data).
  "OSError", "NameError", "ImportError", "ModuleNotFoundError", "MemoryError", "SystemExit",
  "KeyboardInterrupt", "EOFError", "UnboundLocalError", "TimeoutError", "FileNotFoundError",
  "PermissionError", "ConnectionError", "BufferError", "ReferenceError", "SyntaxError",
  "IndentationError", "UnicodeDecodeError", "UnicodeEncodeError", "StopAsyncIteration",
  "ExceptionGroup", "BaseExceptionGroup", "FutureWarning", "PendingDeprecationWarning",
  "ResourceWarning", "SyntaxWarning", "UnicodeWarning", "BytesWarning",
  -- Restricted to one form each (P.restricted below): hasattr with a literal
  -- name the attribute rules allow, type with one argument inside a comparison.
  "hasattr", "type",
}

-- Every name in CPython's builtins module (3.11 to 3.13): the universe the
-- allowlist above is taken from.
P.python_builtins = {
  "ArithmeticError", "AssertionError", "AttributeError", "BaseException",
  "BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning",
  "ChildProcessError", "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError",
  "ConnectionResetError", "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning",
  "EnvironmentError", "Exception", "ExceptionGroup", "False", "FileExistsError",
  "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError",
  "ImportError", "ImportWarning", "IndentationError", "IndexError", "InterruptedError",
  "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
  "ModuleNotFoundError", "NameError", "None", "NotADirectoryError", "NotImplemented",
  "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning",
  "PermissionError", "ProcessLookupError", "PythonFinalizationError", "RecursionError",
  "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning", "StopAsyncIteration",
  "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit", "TabError",
  "TimeoutError", "True", "TypeError", "UnboundLocalError", "UnicodeDecodeError",
  "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning",
  "UserWarning", "ValueError", "Warning", "ZeroDivisionError", "abs", "aiter", "all",
  "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable",
  "chr", "classmethod", "compile", "complex", "copyright", "credits", "delattr", "dict", "dir",
  "divmod", "enumerate", "eval", "exec", "exit", "filter", "float", "format", "frozenset",
  "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
  "issubclass", "iter", "len", "license", "list", "locals", "map", "max", "memoryview", "min",
  "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr",
  "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum",
  "super", "tuple", "type", "vars", "zip",
}

-- Keywords. async/await are refused: no event loop is importable, and
-- coroutines carry cr_frame/ag_frame. Soft keywords: `match` statements are
-- allowed with their class patterns' keyword names held to the attribute
-- rules (P.match); `type` (3.12 alias statement) is refused by type's form.
P.keywords = {
  "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del",
  "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
  "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
  "yield",
}
P.python_keywords = { "async", "await" } -- keywords that exist but are not in the list above

-- Dunder names that may be defined (def __eq__) and used (super().__init__()).
-- Absent on purpose: __class__ __dict__ __globals__ __builtins__ __subclasses__
-- __bases__ __mro__ __code__ __closure__ __getattribute__
-- __setattr__ __reduce__ __del__ __init_subclass__ __class_getitem__
-- __set_name__ __new__ __import__ __loader__ __spec__ __traceback__ __self__
-- __func__ __wrapped__ __module__ __qualname__ __annotations__.
-- Vetted and allowed: __format__ (format() calls it with a spec string),
-- __doc__ (a string or None).
P.dunders = {
  "__init__", "__post_init__", "__repr__", "__str__", "__eq__", "__ne__", "__lt__", "__le__",
  "__gt__", "__ge__", "__hash__", "__len__", "__iter__", "__next__", "__contains__",
  "__getitem__", "__setitem__", "__delitem__", "__bool__", "__call__", "__enter__",
  "__exit__", "__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__isub__", "__mul__",
  "__rmul__", "__imul__", "__truediv__", "__rtruediv__", "__itruediv__", "__floordiv__",
  "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__neg__", "__pos__",
  "__abs__", "__round__", "__float__", "__int__", "__index__", "__missing__", "__reversed__",
  "__format__", "__doc__",
}
-- Dunder names a program may only define (def __getattr__(self, name)),
-- never read as an attribute: the program's own __getattr__ is its checked
-- code, but reading `.__getattr__` of a library object hands out a method
-- that reads any attribute named by a string at run time (typing's aliases
-- forward every name to the object they wrap: Annotated[obj, 0].__getattr__
-- ("keywords") reads what the attribute rules refuse).
P.definition_dunders = { "__getattr__" }
-- `__name__` only in `if __name__ == "__main__":`; `__slots__` only as
-- `__slots__ = ...` at the start of a statement.
P.main_guard = true
P.slots = true

-- Attribute names refused on any object. Prefixes cover generator,
-- coroutine, async-generator, frame, traceback and code object internals.
P.forbidden_attribute_prefixes = { "gi_", "cr_", "ag_", "f_", "tb_", "co_" }
P.forbidden_attributes = {
  "mro", "func_globals", "func_code", "func_closure", "func_defaults",
  "im_func", "im_self", "im_class", "cell_contents", "with_traceback", "exec_module",
  "load_module", "modules", "system", "popen", "settrace", "setprofile",
  -- A partial's own mutable keyword dict (functools.wraps(f).keywords['updated']
  -- = ('__globals__',) turns wraps back into an attribute copier), and the
  -- attribute name a cached_property writes.
  "keywords", "attrname",
  -- ABC registration makes any type an instance of a class: isinstance and
  -- class patterns then read the class's __match_args__ (a namedtuple's are
  -- names from strings) from foreign objects.
  "register",
  -- The builtins that turn strings into code, attributes or a namespace,
  -- refused as names (python_builtins), are refused as attributes too: an
  -- object that carries them (the builtins module, a module's dictionary
  -- turned into an object) would hand them out under another name. `open`
  -- and `compile` are not among them: they are ordinary method names
  -- (position.open(), re.compile), and what carries the builtins is out
  -- of reach by the other rules.
  "eval", "exec", "getattr", "setattr", "delattr", "globals", "locals", "vars", "breakpoint",
}

-- `.format(...)` and `.format_map(...)` are allowed only on plain string literals whose replacement
-- fields are bare names or numbers (no "{0.attr}" or "{0[key]}" traversal).
P.format_methods = { "format", "format_map" }

-- Attributes starting with "_" may only be read through these names.
-- `other._x` stays refused even inside a method of other's class: which
-- class `other` belongs to is not known from the source.
P.private_receivers = { "self", "cls" }

-- Attributes starting with "_" that are public API: namedtuple's methods and
-- fields tuple (documented with a leading underscore to avoid clashes with
-- field names); each returns data or a new tuple.
P.public_underscore_attributes = { "_asdict", "_replace", "_fields", "_make", "_field_defaults" }

-- Names allowed in one form only (docs/validator.md, "Restricted callables"):
-- each can turn a string into an attribute access or code in other forms.
P.restricted = {
  -- functools.wraps(f, assigned=..., updated=...) reads and writes the
  -- attributes named in those tuples (updated=('__globals__',) merges a
  -- module's globals into the program's), and so does the partial it
  -- returns when it is called with them: only @wraps(f) on a def.
  wraps = "function-decorator",
  -- dataclass pastes field names into source it executes: applied to a
  -- functional TypedDict its keys become code. On a class statement of the
  -- program the names are identifiers.
  dataclass = "class-decorator",
  -- A Field kept in a variable can be renamed after its class is made; a
  -- subclass's dataclass then pastes the new name into code.
  field = "field-default",
  -- The functional forms take names as strings (TypedDict keys are any
  -- string; Enum('E', names) sets attributes named by strings).
  TypedDict = "base-class", NamedTuple = "base-class",
  Enum = "base-class", IntEnum = "base-class", Flag = "base-class", IntFlag = "base-class",
  StrEnum = "base-class",
  hasattr = "literal-attribute",
  type = "comparison",
}
-- (Not a policy entry, always checked: a class statement's bases may not be
-- unpacked with * or **, as class A(**{'metaclass': M}) passes the refused
-- keyword by string.)

-- `match` statements, with the keyword names of class patterns
-- (case C(x=...), an attribute read of the subject) held to the attribute rules.
P.match = true

-- Names refused wherever they appear (besides the non-allowed builtins).
P.forbidden_names = { "metaclass" }

-- Decorators, by dotted name (a call on them is fine: @lru_cache(maxsize=8)).
-- Also allowed: `@<name>.setter/getter/deleter` and functions defined with
-- `def` in the same file (when allow_local_decorators is true).
P.decorators = {
  "dataclass", "dataclasses.dataclass", "property", "staticmethod", "classmethod",
  "functools.lru_cache", "lru_cache", "functools.cache", "cache", "functools.wraps", "wraps",
  "functools.total_ordering", "total_ordering", "functools.cached_property",
  "cached_property", "typing.overload", "overload", "enum.unique", "unique",
  "abc.abstractmethod", "abstractmethod",
}
P.allow_local_decorators = true

return P
