-- Layer 1 at run time: the guard (docs/validator.md, "The run-time guard").
--
-- The Python source below is handed to the loader (sandbox.LOADER) in the
-- container's environment. Before it reads the program (so a pooled
-- container has done it before the program arrives) the loader calls
-- prepare(modules, status): the policy's modules are imported and the
-- snapshots taken. Once the program is compiled, install(code, nonce) adds
-- the PEP 578 audit hook, before the program's first line: a program
-- cannot remove it. The hook is an ALLOWLIST of audit
-- events: an event not named here ends the program (message on stderr,
-- the loader's end marker with exit status M.STATUS, os._exit) so that no
-- `except` can swallow the refusal and nothing runs after it.
--
-- Why it holds against a program that already runs (validation off):
--  * Nothing the hook uses can be changed by the program: it runs with a
--    private copy of the builtins, keeps the functions it needs in locals,
--    compares code objects by identity and never calls program code (no
--    repr, ==, hash or isinstance on the program's objects: type() and `is`).
--  * It holds no reference the program can reach: the loader keeps none,
--    the frames that would show its closure are refused, gc walks too.
--  * The few stdlib code generators the policy needs (dataclasses,
--    namedtuple, typing's forward references) may compile only what they
--    generate from identifiers: the frames between the event and the
--    generator are checked by code identity and module globals, and the
--    generated source or the field names are checked, and the module
--    dictionaries the generator reads are compared with a snapshot.
--  * At the end the loader leaves with os._exit: CPython clears audit hooks
--    before it finalizes modules, and finalizers or daemon threads must not
--    outlive the guard. Should the loader's end not run (a program that
--    empties the atexit list), the hook leaves the same way on the event
--    CPython raises just before it clears the hooks.
local M = {}

-- The exit status of a program the guard stopped (with the refusal line on
-- stderr: sandbox.run's outcome "guard").
M.STATUS = 97

-- The first words of the refusal line on stderr.
M.PREFIX = "sandprobe guard: refused "

-- Modules some allowed API imports on first use (datetime.strptime imports
-- _strptime, which imports calendar and locale; codecs by name; deep copies
-- import copyreg): imported before the guard so that no import is needed later.
M.PRELOAD = {
  "_strptime", "calendar", "locale", "copyreg", "encodings.latin_1", "encodings.ascii",
  "encodings.utf_16", "encodings.utf_32", "encodings.cp1252", "encodings.unicode_escape",
  "encodings.raw_unicode_escape",
}

M.SOURCE = [==[
def prepare(modules, status):
    import builtins, sys, os, posix, _thread, types, keyword, re, dis
    for name in modules:
        __import__(name)
    import dataclasses, collections, typing, inspect, enum
    ident, write, leave = _thread.get_ident, os.write, os._exit
    flushes = (sys.stdout.flush, sys.stderr.flush)
    FunctionType, Field = types.FunctionType, dataclasses.Field
    stdlib = os.path.dirname(os.__file__) + '/'
    namedtuple_source = re.compile(rb'lambda _cls, [A-Za-z0-9_, ]*: _tuple_new\(_cls, \([A-Za-z0-9_, ]*\)\)').fullmatch
    dc_dict, nt_dict, ty_dict = vars(dataclasses), vars(collections), vars(typing)
    # The exact text dataclasses' _create_fn compiles (3.11), line by line:
    # every piece that comes from the program's class is an identifier in a
    # fixed position, so a field name that is not one (however it got into
    # the Field, whatever ran between building the text and compiling it)
    # makes the text fail to match and the compile is refused. Checked on
    # the text itself, not on the Field objects it was made from.
    # An identifier that is no keyword: a keyword in a field's place makes
    # text that does not compile, and an approval its exec never used.
    ident_re = r'(?!(?:{k})\b)(?!\d)\w+'.format(k='|'.join(keyword.kwlist))
    value_re = r'(?:{i}|_dflt_{i}\(\)|_dflt_{i}\(\) if {i} is _HAS_DEFAULT_FACTORY else {i})'.format(i=ident_re)
    tuple_re = r'\((?:(?:self|other)\.{i},)*\)'.format(i=ident_re)
    dataclass_line = re.compile('|'.join(x.format(i=ident_re, v=value_re, t=tuple_re) for x in (
        r'  pass',
        r'  {i}\.{i}={v}',
        r"  __dataclass_builtins_object__\.__setattr__\({i},'{i}',{v}\)",
        r'  {i}\.__post_init__\((?:{i}(?:,{i})*)?\)',
        r'  return self\.__class__\.__qualname__ \+ f"\((?:{i}=\{{self\.{i}!r\}}(?:, {i}=\{{self\.{i}!r\}})*)?\)"',
        r"  if type\(self\) is cls or name in \((?:'{i}',)*\):",
        r'   raise FrozenInstanceError\(f"cannot (?:assign to|delete) field \{{name!r\}}"\)',
        r'  super\(cls, self\)\.__setattr__\(name, value\)',
        r'  super\(cls, self\)\.__delattr__\(name\)',
        r'  if other\.__class__ is self\.__class__:',
        r'   return {t}(?:==|!=|<|<=|>|>=){t}',
        r'  return NotImplemented',
        r'  return hash\({t}\)',
    ))).fullmatch
    dataclass_head = re.compile(
        r'def __create_fn__\((?:{i}(?:, {i})*)?\):\n def {i}\((?:\*|{i}(?::_type_{i}(?:=_dflt_{i}|=_HAS_DEFAULT_FACTORY)?)?)'
        r'(?:,(?:\*|{i}(?::_type_{i}(?:=_dflt_{i}|=_HAS_DEFAULT_FACTORY)?)?))*\)(?:->_return_type)?:'.format(i=ident_re)).fullmatch
    # The code namedtuple compiles for its __new__, for each number of
    # fields: the lambda expression (it makes the function and returns it)
    # and the lambda's body, _tuple_new(_cls, (a, b, ...)). Compiled here,
    # before the program: a code object about to run must be one of these
    # with only its names changed, whoever asked for it to run (a C chain
    # the program built runs with namedtuple's frame innermost too).
    NAMEDTUPLE_MAX_FIELDS = 64

    def namedtuple_templates(compile=compile, range=range):
        made = {}
        for n in range(NAMEDTUPLE_MAX_FIELDS + 1):
            names = ', '.join('a%d' % k for k in range(n)) + (',' if n == 1 else '')
            outer = compile('lambda _cls, %s: _tuple_new(_cls, (%s))' % (names, names), '<string>', 'eval')
            made[n] = (outer.co_code, outer.co_consts[0].co_code, outer.co_consts[0].co_consts)
        return made
    new_templates = namedtuple_templates()

    def new_body(body, type=type, CodeType=types.CodeType, tuple=tuple):
        # The body of namedtuple's __new__: _tuple_new(_cls, (fields...)),
        # exactly, for its number of fields.
        if type(body) is not CodeType or body.co_names != ('_tuple_new',) or body.co_freevars != ():
            return False
        template = new_templates.get(body.co_argcount - 1)
        if template is None or body.co_kwonlyargcount != 0 or body.co_posonlyargcount != 0:
            return False
        return body.co_code == template[1] and type(body.co_consts) is tuple and body.co_consts == template[2]

    def lambda_only(code, type=type, len=len, CodeType=types.CodeType):
        # The code of namedtuple's eval: the lambda expression making the
        # function whose body is new_body, for its number of fields.
        if type(code) is not CodeType or code.co_names != () or len(code.co_consts) != 1:
            return False
        body = code.co_consts[0]
        if not new_body(body):
            return False
        return code.co_code == new_templates[body.co_argcount - 1][0]

    dataclass_tail = re.compile(r' return {i}'.format(i=ident_re)).fullmatch

    def dataclass_source(text, type=type, str=str, bytes=bytes, len=len):
        # exec(str) raises the event with the text as UTF-8 bytes.
        if type(text) is bytes:
            text = text.decode('utf-8', 'replace')
        if type(text) is not str:
            return False
        lines = text.split('\n')
        if len(lines) < 4 or dataclass_head(lines[0] + '\n' + lines[1]) is None or dataclass_tail(lines[-1]) is None:
            return False
        for line in lines[2:-1]:
            if dataclass_line(line) is None:
                return False
        return True

    # The compile approved last in each thread: exec from _create_fn runs
    # only the code compiled from it (exec(str) raises compile, then exec,
    # with no event between). An approval lasts one event: whatever comes
    # next in the thread (an exec, or the open of a SyntaxError's line when
    # the compile failed) takes it away.
    approved = {}
    dc_snapshot, builtins_dict = dict(dc_dict), vars(builtins)
    # Class attributes are set without an audit event: the Field class the
    # generator reads is compared with a snapshot too.
    field_dict = vars(Field)
    field_snapshot = dict(field_dict)
    builtins_snapshot = dict(builtins_dict)
    keep = []  # code objects compared by id stay alive, so their ids are never reused

    def code_ids(*functions):
        keep.extend(f.__code__ for f in functions)
        return frozenset(id(f.__code__) for f in functions)

    dataclass_codes = code_ids(*[f for f in dc_dict.values()
                                 if type(f) is FunctionType and f.__globals__ is dc_dict])
    process_class = code_ids(dataclasses._process_class)
    create_fn = code_ids(dataclasses._create_fn)
    namedtuple = code_ids(collections.namedtuple)
    forward_ref = code_ids(typing.ForwardRef.__init__)
    # inspect.signature (dataclasses builds __doc__ with it) reads __code__,
    # __defaults__ and __kwdefaults__ and hands out only a Signature;
    # typing.overload reads __code__.co_firstlineno as a registry key.
    attribute_readers = code_ids(inspect._signature_from_function, typing.overload)
    # Classes that existed before the program: the program may set attributes
    # only on classes created after it started.
    import gc
    older = frozenset(id(o) for o in gc.get_objects() if type(o) is type or issubclass(type(o), type))
    keep.extend(o for o in gc.get_objects() if type(o) is type or issubclass(type(o), type))
    busy = set()
    # The one object (a traceback or frame) whose audited attribute the
    # check in each thread is about to read: the only nested event let
    # through. Code that runs inside a check without being the check (a
    # finalizer the collector calls, a signal handler) cannot hold that
    # object, so whatever it does is refused.
    reading = {}

    def read(me, obj, attribute, type=type, id=id, len=len, str=str, bytes=bytes, int=int, dict=dict, range=range,
             issubclass=issubclass, BaseException=BaseException, LookupError=LookupError):
        reading[me] = obj
        try:
            if attribute == 'f_code':
                return obj.f_code
            return obj.__code__ if attribute == '__code__' else obj.tb_frame
        finally:
            reading.pop(me, None)

    def code_id(me, frame, type=type, id=id, len=len, str=str, bytes=bytes, int=int, dict=dict, range=range,
             issubclass=issubclass, BaseException=BaseException, LookupError=LookupError):
        return id(read(me, frame, 'f_code'))

    def event_frame(me, type=type, id=id, len=len, str=str, bytes=bytes, int=int, dict=dict, range=range,
             issubclass=issubclass, BaseException=BaseException, LookupError=LookupError):
        # The frame that raised the event: two up from this one (hook, then
        # its caller). Taken from a traceback made here, with no
        # sys._getframe; the references are dropped before returning, so
        # no cycle holding the hook's frames is left for the collector.
        try:
            raise LookupError
        except LookupError as e:
            tb = e.__traceback__
        try:
            here = read(me, tb, 'tb_frame')
            return here.f_back.f_back
        finally:
            tb = here = None
    run = {'program': None, 'nonce': b'', 'status': None}  # set by install()

    def refuse(event, detail, ident=ident, write=write, leave=leave, flushes=flushes, status=status,
               run=run, busy=busy, str=str, BaseException=BaseException):
        # Everything between the decision and os._exit is inside the try:
        # nothing the program made (an event name, a nonce it reached) can
        # make building the line raise and the refusal return.
        try:
            busy.add(ident())
            for flush in flushes:
                try:
                    flush()
                except BaseException:
                    pass
            line = 'sandprobe guard: refused ' + event + (': ' + detail if detail else '') + '\n'
            mark = b'\0sandprobe-done:' + run['nonce'] + b':' + str(status).encode() + b'\n'
            write(2, line.encode('utf-8', 'replace'))
            write(1, mark)
            write(2, mark)
        finally:
            leave(status)

    def shown(value, type=type, id=id, len=len, str=str, bytes=bytes, int=int, dict=dict, range=range,
             issubclass=issubclass, BaseException=BaseException, LookupError=LookupError):
        # Only exact str/bytes/int are described: anything else could run
        # program code when turned into text.
        if type(value) is bytes:
            value = value.decode('utf-8', 'replace')
        if type(value) is int:
            value = str(value)
        if type(value) is not str:
            return ''
        return value.partition('\n')[0][:120]

    def unchanged(current, snapshot, type=type, id=id, len=len, str=str, bytes=bytes, int=int, dict=dict, range=range,
             issubclass=issubclass, BaseException=BaseException, LookupError=LookupError):
        if len(current) != len(snapshot):
            return False
        for key, value in current.items():
            if type(key) is not str or snapshot.get(key, keep) is not value:
                return False
        return True

    def generated_by_dataclass(me, frame, type=type, id=id, len=len, str=str, bytes=bytes, int=int, dict=dict, range=range,
             issubclass=issubclass, BaseException=BaseException, LookupError=LookupError):
        # From the generator up to _process_class every frame is dataclasses'
        # own code with its own globals, and nothing the generator reads was
        # replaced. What it generated is checked as text (dataclass_source).
        # No frame's f_locals is read: reading it refreshes the frame's
        # locals dictionary, which drops what the program planted there, and
        # a finalizer run so would run inside this check.
        for _ in range(12):
            if frame is None or code_id(me, frame) not in dataclass_codes or frame.f_globals is not dc_dict:
                return False
            if code_id(me, frame) in process_class:
                break
            frame = frame.f_back
        else:
            return False
        return (unchanged(dc_dict, dc_snapshot) and unchanged(builtins_dict, builtins_snapshot)
                and unchanged(field_dict, field_snapshot))

    def allowed(me, event, args, frame, type=type, id=id, len=len, str=str, bytes=bytes, int=int, dict=dict, range=range,
             issubclass=issubclass, BaseException=BaseException, LookupError=LookupError):
        just_approved = approved.pop(me, None) is not None
        code = code_id(me, frame) if frame is not None else 0
        if event == 'exec':
            if args[0] is run['program']:
                return True
            if code in create_fn:
                return frame.f_globals is dc_dict and just_approved
            # namedtuple's eval of its own text: the code object must be the
            # one a lambda expression compiles to (it only makes a function,
            # runs nothing), whoever called exec while namedtuple's frame was
            # innermost (a C chain the program built, e.g. via str() of a
            # field name, runs with that frame innermost too).
            return code in namedtuple and frame.f_globals is nt_dict and lambda_only(args[0])
        if event == 'compile':
            if frame is None:
                # No Python frame: the interpreter itself, printing an uncaught
                # exception (3.11 parses the source line to place its carets).
                # A code object compiled so, e.g. in a thread started on
                # compile, can never run: exec and function.__new__ are refused.
                return True
            if code in namedtuple:
                return frame.f_globals is nt_dict and type(args[0]) is bytes and namedtuple_source(args[0]) is not None
            if code in create_fn:
                if frame.f_globals is dc_dict and dataclass_source(args[0]) and generated_by_dataclass(me, frame):
                    approved[me] = True
                    return True
                return False
            # typing's ForwardRef compiles its string, never runs it (exec and
            # function.__new__ stay refused): the source (bytes, as the event
            # gives it) under the name '<string>' ForwardRef gives.
            return (code in forward_ref and frame.f_globals is ty_dict and type(args[0]) is bytes
                    and type(args[1]) is str and args[1] == '<string>')
        if event == 'object.__getattr__':
            # What those readers read: a function's code and defaults, never
            # a frame or a traceback's, whatever C chain runs under them.
            target, name = args[0], args[1]
            return (code in attribute_readers and type(target) is FunctionType and type(name) is str
                    and (name == '__code__' or name == '__defaults__' or name == '__kwdefaults__'))
        if event == 'object.__setattr__' or event == 'object.__delattr__':
            target = args[0]
            if issubclass(type(target), type):
                return id(target) not in older
            if code not in namedtuple or type(target) is not FunctionType or type(args[1]) is not str:
                return False
            if args[1] != '__defaults__':
                return False
            # Only on a __new__ namedtuple made: a function whose code is the
            # body namedtuple compiles (_tuple_new(_cls, (fields...)), checked
            # against the templates), never a function of the guard's or the
            # library's, whatever its globals look like.
            return new_body(read(me, target, '__code__'))
        if event == 'open':
            # Tracebacks show the lines of the standard library's sources.
            # Types first: a str subclass's own == would run inside the check.
            path, mode = args[0], args[1]
            return (type(path) is str and type(mode) is str and path.startswith(stdlib) and path.endswith('.py')
                    and '/../' not in path and (mode == 'r' or mode == 'rb'))
        return False

    quiet = frozenset(('builtins.id', 'sys.excepthook', 'sys.unraisablehook', 'time.sleep'))

    # The collector is off while a check runs: a collection it triggered
    # would call the program's finalizers (__del__, weakref callbacks)
    # inside the check, where pure C chains that raise no event (locals()
    # in an iterator a finalizer drains) reach the check's own frames.
    collector = {'was_on': False}

    def hook(event, args, type=type, id=id, len=len, str=str, bytes=bytes, int=int, dict=dict, range=range,
             issubclass=issubclass, BaseException=BaseException, LookupError=LookupError,
             gc_isenabled=gc.isenabled, gc_disable=gc.disable, gc_enable=gc.enable, collector=collector):
        if type(event) is not str or event in quiet:
            return
        if event == 'cpython._PySys_ClearAuditHooks':
            # The interpreter is finalizing without the loader's end (the
            # program emptied the atexit list): leave before the hooks are
            # cleared and finalizers or daemon threads run unguarded.
            busy.add(ident())
            try:
                for flush in flushes:
                    flush()
            except BaseException:
                pass
            try:
                code = run['status']()
            except BaseException:
                code = 1
            leave(code if type(code) is int and 0 <= code <= 255 else 1)
        me = ident()
        if me in busy:
            # Inside a check: only the check's own read of the one object it
            # named is let through.
            if event == 'object.__getattr__' and len(args) == 2 and args[0] is reading.get(me, keep):
                return
            refuse(event, 'during a check')
        if not busy:
            collector['was_on'] = gc_isenabled()
            gc_disable()
        busy.add(me)
        try:
            frame = event_frame(me)
            ok = allowed(me, event, args, frame)
        except BaseException:
            ok = False
        finally:
            busy.discard(me)
            if not busy and collector['was_on']:
                gc_enable()
        if not ok:
            refuse(event, shown(args[0]) if len(args) else '')

    # _imp.create_builtin makes a compiled-in module (_posixsubprocess, whose
    # fork_exec raises no event) without the import event: after the
    # preloading no import is allowed, so it is replaced by a function that
    # raises that event. The replacement closes over nothing of the guard and
    # its globals are its own (no builtins), so it leads nowhere.
    # _signal.signal installs a Python signal handler, which is called with
    # the frame that was running (no event): a frame, and from it the
    # loader's globals or, inside a check, the hook's own. Replaced likewise
    # by a function raising the event "signal.signal", which is refused.
    import _imp, _signal
    stub = {'__builtins__': {}, 'audit': sys.audit}
    exec('def create_builtin(spec, *rest):\n    audit("import", spec.name, None, None, None, None)\n'
         'def signal(signalnum, handler):\n    audit("signal.signal", signalnum)\n'
         'def functional(cls, class_name, *rest, **keywords):\n    audit("enum.functional", class_name)\n', stub)

    # The loader's compile of the program loads unicodedata for non-ASCII
    # names: loaded now, before the loaders are replaced.
    import unicodedata

    def unhook_loaders():
        # Before confine(): the stand-ins it makes of _imp (importlib's
        # _bootstrap uses it, and importlib.import_module raises no import
        # event of its own) must hold the replacements.
        _imp.create_builtin = _imp.create_dynamic = stub['create_builtin']
        _signal.signal = stub['signal']
        # Enum's functional API (Base('E', names), for any Enum subclass,
        # one of the program's too) builds a class whose attributes are named
        # by the program's strings, dunders such as __match_args__ included;
        # no strategy needs it (the validator allows Enum only as a base).
        enum.EnumType._create_ = stub['functional']

    # Modules that give what no audit event announces: gc (gc.garbage with
    # DEBUG_SAVEALL and gc.callbacks hand out frames, among them the hook's),
    # sys (sys.modules: every loaded module), os/posix (stat, access,
    # readlink, environ, umask, pipe, dup, mknod, ...), _thread, _imp,
    # marshal, _signal, the import machinery. The guard refuses every import
    # event once the program runs, but a module already in sys.modules is
    # imported without one. So before the first line of the program,
    # sys.modules keeps only the modules the policy names, those the guard
    # preloads for them (PRELOAD) and the vetted helpers below, each of
    # which raises an audit event for everything it can do outside the
    # process; `import gc`, `import os`, `import sys` then raise the import
    # event and are refused. The collector's debugging state is reset and
    # its callbacks dropped. Module attributes: a reference to a removed
    # module that no code of the holding module uses is deleted; references
    # the library needs stay (docs/validator.md, "What the guard cannot
    # stop", lists them). gc is referenced by no module the program can reach.
    internal = frozenset((
        '__main__', 'builtins', 'abc', '_abc', '_bisect', '_codecs', '_collections', '_collections_abc',
        '_datetime', '_decimal', '_functools', '_heapq', '_json', '_locale', '_operator', '_random',
        '_sha512', '_sre', '_stat', '_statistics', '_string', '_typing', '_weakref', '_weakrefset',
        'collections.abc', 'codecs', 'encodings', 'encodings.aliases', 'encodings.utf_8', 'io', '_io',
        'json.decoder', 'json.encoder', 'json.scanner', 'keyword', 'numbers', 'operator', 're._casefix',
        're._compiler', 're._constants', 're._parser', 'reprlib', 'stat', 'token', 'types', 'typing.io',
        'typing.re', 'unicodedata',
        # imported on first use by allowed functions (functools.singledispatch,
        # enum's and re's deprecation warnings, a warning's source line)
        'weakref', 'warnings', '_warnings', 'linecache', 'tokenize'))

    def code_names(value, names, seen, depth):
        # Every name any code object reachable from value uses (globals and
        # attributes alike: co_names does not tell them apart).
        if depth > 6 or id(value) in seen:
            return
        seen.add(id(value))
        kind = type(value)
        if kind is types.CodeType:
            names.update(value.co_names)
            for const in value.co_consts:
                code_names(const, names, seen, depth + 1)
        elif kind is FunctionType:
            code_names(value.__code__, names, seen, depth + 1)
        elif kind is staticmethod or kind is classmethod:
            code_names(value.__func__, names, seen, depth + 1)
        elif kind is property:
            for part in (value.fget, value.fset, value.fdel):
                code_names(part, names, seen, depth + 1)
        elif issubclass(kind, type):
            for item in list(vars(value).values()):
                code_names(item, names, seen, depth + 1)

    def confine(sys, gc, kept):
        gc.set_debug(0)
        gc.callbacks.clear()
        gc.garbage.clear()
        loaded = dict(sys.modules)
        loaded.setdefault('sys', sys)
        for name in loaded:
            if name not in kept and not name.startswith('encodings.'):
                del sys.modules[name]
        removed = frozenset(id(m) for n, m in loaded.items() if n not in sys.modules)
        outside.update(id(vars(m)) for n, m in loaded.items() if n not in sys.modules)
        # The import system stays loaded for the interpreter, yet what its
        # functions hold (posix, sys, _imp) is nothing the library may hand on.
        importing.update(id(vars(m)) for n, m in loaded.items() if n.startswith(('_frozen_importlib', 'importlib')))
        outside.update(importing)
        confine_classes(removed)
        for name, module in loaded.items():
            namespace = vars(module)
            if name in sys.modules:
                for key, value in list(namespace.items()):
                    if type(value) is FunctionType and id(value.__globals__) in outside:
                        namespace[key] = rebound(value, removed, 0)
                # The import system's loader and spec: their methods' globals
                # are importlib's (posix, sys, _imp).
                for key in ('__loader__', '__spec__'):
                    if key in namespace and leads_out(namespace[key]):
                        namespace[key] = None
            held = [k for k, v in namespace.items() if type(v) is types.ModuleType and id(v) in removed]
            if not held:
                continue
            names, seen = set(), set()
            for value in list(namespace.values()):
                code_names(value, names, seen, 0)
            for key in held:
                if key not in names or namespace[key] is gc:
                    del namespace[key]
                else:
                    namespace[key] = facade(namespace[key], names, removed, 0)
        return [m for n, m in loaded.items() if n not in sys.modules]

    def every_class():
        # Every class there is: object's subclasses, theirs, and so on; what
        # type.__subclasses__ hands any program, no audit event raised.
        seen, stack, found = set(), [object], []
        while stack:
            klass = stack.pop()
            if id(klass) in seen:
                continue
            seen.add(id(klass))
            found.append(klass)
            try:
                stack.extend(type.__subclasses__(klass))
            except TypeError:
                pass
        return found

    def copied(function):
        # A function of a removed module that gets a copy (the import
        # system's keep their globals, below).
        globals_id = id(function.__globals__) if type(function) is FunctionType else None
        return globals_id in outside and globals_id not in importing

    def member_functions(value):
        # The functions a class attribute is or wraps.
        if type(value) is staticmethod or type(value) is classmethod:
            return (value.__func__,)
        if type(value) is property:
            return (value.fget, value.fset, value.fdel)
        return (value,)

    def confined_member(value, removed):
        # A class attribute that is (or wraps) a function of a removed module
        # becomes the same wrapped around its copy (rebound), else value.
        if not any(copied(f) for f in member_functions(value)):
            return value
        if type(value) is FunctionType:
            return rebound(value, removed, 0)
        parts = [rebound(f, removed, 0) if copied(f) else f for f in member_functions(value)]
        if type(value) is property:
            return property(*parts, value.__doc__)
        return type(value)(parts[0])

    def confine_classes(removed):
        # The methods of a removed module's classes (os._wrap_close, os._Environ,
        # subprocess.Popen, inspect.Signature, ...) have that module's
        # dictionary as __globals__, and type.__subclasses__ finds the
        # classes: each such method becomes its copy with globals of its own,
        # like a library module's reference to a removed module's function.
        # The classes are marked first, so that the copies made meanwhile
        # keep them and their instances (leads_out). The import system's
        # classes keep theirs: the interpreter runs them, and their module
        # dictionaries hold stand-ins already.
        pending = []
        for klass in every_class():
            try:
                members = list(vars(klass).items())
            except TypeError:
                continue
            if any(copied(f) for _, value in members for f in member_functions(value)):
                confined.add(id(klass))
                pending.append((klass, members))
        for klass, members in pending:
            for key, value in members:
                replaced = confined_member(value, removed)
                if replaced is not value:
                    try:
                        type.__setattr__(klass, key, replaced)
                    except (TypeError, AttributeError):
                        pass

    # What the library's sys._getframe(n).f_globals.get('__name__', ...)
    # (namedtuple, typing._caller: a class's __module__) gets instead of a
    # frame: the program's module name. A class with no Python function, so
    # nothing in it leads to a frame or a module's globals; the real
    # sys._getframe is in no stand-in and its event is always refused.
    class CallerFrame(int):
        __slots__ = ()
        f_globals = types.MappingProxyType({'__name__': '__main__'})

    # The dictionaries of the removed modules: a function whose __globals__
    # is one of them (no audit event reads __globals__) leads to everything
    # that module holds (os: access, readlink, pipe, umask, environ, ...).
    outside = set()
    importing = set()
    confined = set()
    stood_for = {}
    copies = {}

    def leads_out(value, outside=outside):
        # A class, or an instance of one, with a method of a removed module:
        # type(x).method.__globals__ is that module's dictionary. Classes
        # whose methods are copies (confine_classes) lead nowhere.
        kind = value if isinstance(value, type) else type(value)
        for klass in kind.__mro__:
            if id(klass) in confined:
                continue
            for item in vars(klass).values():
                if type(item) in (staticmethod, classmethod):
                    item = item.__func__
                if type(item) is FunctionType and id(item.__globals__) in outside:
                    return True
        return False

    def kept_value(value, names, removed, depth):
        # What a stand-in (or a copied function's globals) may hold in place
        # of value: a stand-in for a removed module, a copy of a removed
        # module's function, nothing for what leads into a removed module.
        if type(value) is types.ModuleType:
            # A stand-in made for a whole module's code: made anew from
            # the module with the names this code uses.
            value = stood_for.get(id(value), value)
            if id(value) not in removed and id(vars(value)) not in outside:
                return value
            return facade(value, names, removed, depth + 1) if depth < 4 else None
        if type(value) is FunctionType and id(value.__globals__) in outside:
            return rebound(value, removed, depth + 1) if depth < 8 else None
        # The process's environment (os.environ, os.environb, and the
        # dictionary posix.environ they are built on): read and written by
        # no audit event.
        if value is os.environ or value is os.environb or value is posix.environ:
            return None
        if not offered(value, removed):
            return None
        # A class the library needs stays (its methods' globals are that
        # module's, whose module references are stand-ins too, or copies).
        # A class of the import system goes too (its methods hold posix).
        if isinstance(value, type):
            return None if leads_out(value, importing) else value
        return None if leads_out(value) else value

    # The compiled modules that reach the process (files, descriptors, users,
    # threads, signals, the import system's loaders) and the functions of
    # theirs a stand-in or a copy may hold: those that raise an audit event
    # (refused or checked like any other) and those that tell nothing of the
    # process. The stand-ins of posix held getcwd, read, write, close,
    # environ, access, readlink, getuid; of _imp, get_frozen_object (code
    # objects, no event); of _thread, start_new_thread (no event in 3.11).
    PROCESS_MODULES = {
        'posix': frozenset((
            # audited
            'chdir', 'chmod', 'chown', 'lchown', 'fchmod', 'fchown', 'kill', 'killpg', 'link', 'listdir',
            'mkdir', 'putenv', 'unsetenv', 'remove', 'rename', 'replace', 'rmdir', 'scandir', 'symlink',
            'system', 'truncate', 'unlink', 'utime', 'open', 'execv', 'execve', 'fork', 'posix_spawn',
            'posix_spawnp', 'lockf', 'getxattr', 'setxattr', 'listxattr', 'removexattr',
            # file metadata and pure helpers (docs/validator.md, limits)
            'stat', 'lstat', 'fstat', 'fspath', 'getcwd', 'getcwdb', 'urandom', 'strerror', 'cpu_count',
            'get_terminal_size', 'device_encoding', 'major', 'minor', 'makedev')),
        '_thread': frozenset(('allocate_lock', 'get_ident', 'get_native_id', 'RLock')),
        '_imp': frozenset(), 'marshal': frozenset(), 'gc': frozenset(), '_signal': frozenset(),
        'atexit': frozenset(), '_posixsubprocess': frozenset(), 'faulthandler': frozenset(),
        'resource': frozenset(), 'select': frozenset(), 'fcntl': frozenset(), '_socket': frozenset(),
        'pwd': frozenset(), 'grp': frozenset(), 'termios': frozenset(), 'mmap': frozenset(),
        '_ctypes': frozenset(),
    }

    def offered(value, removed, BuiltinFunctionType=types.BuiltinFunctionType):
        # A builtin function of a removed module a stand-in or a copy may hold.
        if type(value) is not BuiltinFunctionType or type(value.__self__) is not types.ModuleType:
            return True
        owner = value.__self__
        if id(owner) not in removed:
            return True
        if owner is sys:
            return value.__name__ not in SYS_REMOVED
        offers = PROCESS_MODULES.get(owner.__name__)
        return offers is None or value.__name__ in offers

    def rebound(function, removed, depth):
        # A removed module's function as a library module uses it, with
        # globals of its own: only the names its code uses, each made safe
        # the same way, so __globals__ leads to no removed module's dict.
        if id(function) in copies:
            return copies[id(function)]
        inner = function.__globals__
        scope = {'__builtins__': inner.get('__builtins__'), '__name__': inner.get('__name__')}
        copy = FunctionType(function.__code__, scope, function.__name__, function.__defaults__, function.__closure__)
        copy.__kwdefaults__, copy.__qualname__, copy.__doc__ = function.__kwdefaults__, function.__qualname__, function.__doc__
        copies[id(function)] = copy
        keep.append(function)  # its id stays a key of copies
        names, seen = set(), set()
        code_names(function, names, seen, 0)
        for name in global_names(function.__code__):
            if name in inner and name[:2] != '__':
                value = kept_value(inner[name], names, removed, depth)
                if value is not None and value is not gc:
                    scope[name] = value
        return copy

    GLOBAL_OPS = frozenset(('LOAD_GLOBAL', 'LOAD_NAME', 'STORE_GLOBAL', 'DELETE_GLOBAL', 'STORE_NAME', 'DELETE_NAME'))

    def global_names(code, found=None):
        # The names code (and the code nested in it) reads or writes as
        # globals: a copy's globals hold those and no more. co_names mixes
        # them with attribute names (self._proc.wait names 'wait', which
        # would put os.wait in the copy's globals).
        found = set() if found is None else found
        for instruction in dis.get_instructions(code):
            if instruction.opname in GLOBAL_OPS:
                found.add(instruction.argval)
        for const in code.co_consts:
            if type(const) is types.CodeType:
                global_names(const, found)
        return found

    def facade(module, names, removed, depth):
        # A stand-in for a removed module that the holding module's code
        # uses: only the attributes that code names (co_names), a module it
        # reaches through one (os.path) likewise. A function of a removed
        # module is a copy with globals of its own (rebound).
        stand_in = types.ModuleType(module.__name__)
        stood_for[id(stand_in)] = module
        keep.append(stand_in)
        inner = vars(module)
        for attribute in names:
            if attribute in inner and attribute[:2] != '__':
                value = inner[attribute]
                value = kept_value(value, names, removed, depth)
                if module is sys and attribute == '_getframe':
                    value = CallerFrame
                if module is sys and attribute in ('meta_path', 'path_hooks', 'path_importer_cache'):
                    value = None
                if value is not gc and value is not None:
                    setattr(stand_in, attribute, value)
        return stand_in

    def install(program, nonce, exit_status, add_hook=sys.addaudithook):
        run['program'], run['nonce'], run['status'] = program, nonce, exit_status
        add_hook(hook)
        return program

    # A builtin function's __self__ is its module, and reading it raises no
    # audit event: a stand-in's os.stat leads to posix, dataclasses'
    # _thread.get_ident to _thread, a stub's audit to sys. So every module
    # confine() removed that is built in or compiled (its functions are
    # builtins) is emptied of its names: the stand-ins and copies hold the
    # function objects they need, the guard and the loader hold theirs, and
    # what the module object still offers is its name. sys is the exception:
    # the interpreter reads its streams, hooks and import state by name, so
    # only what hands out frames, tracing, audit hooks or the interpreter's
    # limits goes. The loader keeps what it calls after prepare().
    LOADER_NEEDS = {'gc': ('collect',), 'atexit': ('register',)}
    SYS_REMOVED = (
        '_getframe', '_current_frames', '_current_exceptions', 'settrace', 'setprofile', 'gettrace',
        'getprofile', 'addaudithook', 'call_tracing', 'setrecursionlimit', 'setswitchinterval',
        'set_asyncgen_hooks', 'get_asyncgen_hooks', 'set_coroutine_origin_tracking_depth',
        'get_coroutine_origin_tracking_depth', '_debugmallocstats', '_clear_type_cache', 'breakpointhook',
        '__breakpointhook__', 'activate_stack_trampoline', 'deactivate_stack_trampoline',
        'is_stack_trampoline_active', 'setdlopenflags', 'getdlopenflags', 'settrace_all_threads',
        'setprofile_all_threads', 'monitoring', '_getframemodulename', 'last_traceback', 'last_exc')

    def compiled(module):
        path = getattr(module, '__file__', None)
        return module.__name__ in sys.builtin_module_names or (type(path) is str and path.endswith('.so'))

    def scrub(removed_modules):
        for module in removed_modules:
            namespace = vars(module)
            if module is sys:
                for name in SYS_REMOVED:
                    namespace.pop(name, None)
                # Hooks other modules left there as Python functions with their
                # own module's globals (site's __interactivehook__).
                for name in [k for k, v in namespace.items() if type(v) is FunctionType]:
                    del namespace[name]
            elif compiled(module):
                keep = LOADER_NEEDS.get(module.__name__, ())
                for name in [k for k in namespace if k[:2] != '__' and k not in keep]:
                    del namespace[name]

    # Confined here, before the program arrives (a pooled container has
    # done it while waiting): the loader only reads and compiles the program
    # before install(). dataclasses' own references are stand-ins now: the
    # snapshot the checks compare with is taken after that.
    unhook_loaders()
    removed_modules = confine(sys, gc, frozenset(modules) | internal)
    dc_snapshot.clear()
    dc_snapshot.update(dc_dict)
    builtins_snapshot.clear()
    builtins_snapshot.update(builtins_dict)
    scrub(removed_modules)
    return install
]==]

return M
