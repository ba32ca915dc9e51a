"""The name the learner's code gives a lock or a channel, read from the line that creates it.

`lock = Lock()` names the lock `lock`, `self.lock = Lock()` names it `self.lock`,
`counter = Value("i", 0)` names the Value `counter` (its lock is `counter.get_lock()`),
`parent_end, child_end = Pipe()` names the pipe's two ends. The statement is found in the
learner's file, parsed once per file; a name is read only when the statement assigns the
very call that creates the object (`Process(args=(Lock(),))` names nothing: the lock is not
`p`), or a tuple of values with one such call (`lock, results = Lock(), Queue()`). Anything
else has no name, and the host shows the kind and the line instead.

Creation only, never on a hot path: each file is parsed once per process, each (file, line)
looked at once; `_ast` is built into the interpreter (no import cost).
"""

import _ast

# (file, line, expected call names) -> name or None
_names = {}
# file -> {line: the innermost assignment statement spanning it}, or None when unreadable
_statements = {}


def name_at(frame, calls):
    """The learner's name for the object the call on `frame`'s current line creates.

    `calls`: the names the creating call may have (`Lock`, `Queue`, ...), however it is
    reached (`Lock()`, `mp.Lock()`, `ctx.Lock()`). A str, a list of str for the targets of a
    tuple (a Pipe's two ends), or None when no name can be read.
    """
    code = frame.f_code
    key = (code.co_filename, frame.f_lineno, calls)
    try:
        return _names[key]
    except KeyError:
        pass
    try:
        name = _read(code.co_filename, frame.f_lineno, calls)
    except Exception:
        name = None
    _names[key] = name
    return name


def _read(filename, line, calls):
    statements = _statements.get(filename, False)
    if statements is False:
        try:
            statements = _index(filename)
        except Exception:  # not readable, not Python any more: no names from this file
            statements = None
        _statements[filename] = statements
    if not statements:
        return None
    found = statements.get(line)
    if found is None:
        return None
    statement, lines = found
    value = statement.value
    targets = statement.targets if isinstance(statement, _ast.Assign) else [statement.target]
    target = targets[0]
    if isinstance(target, (_ast.Tuple, _ast.List)) and isinstance(value, (_ast.Tuple, _ast.List)):
        # `lock, results = Lock(), Queue()`: the target in the place of the one creating call.
        if len(target.elts) != len(value.elts):
            return None
        places = [i for i, each in enumerate(value.elts) if isinstance(each, _ast.Call) and _called_name(each.func) in calls]
        if len(places) != 1:
            return None  # `a, b = Lock(), Lock()`: which one is being made is not known here
        target, value = target.elts[places[0]], value.elts[places[0]]
    if not isinstance(value, _ast.Call) or _called_name(value.func) not in calls:
        return None
    if isinstance(target, (_ast.Tuple, _ast.List)):
        names = [_target_name(element, lines) for element in target.elts]
        return names if all(names) else None
    return _target_name(target, lines)


def _index(filename):
    """{line: (assignment statement spanning it, the file's lines as bytes)} of a file.

    The file is read as bytes and parsed by compile() (which honours a coding cookie) into
    `_ast` nodes: neither `ast` nor `linecache` (and tokenize) is imported, a few ms saved
    in every process that makes a lock.
    """
    with open(filename, "rb") as source_file:
        source = _without_escapes(source_file.read())
    tree = compile(source, filename, "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)
    lines = source.splitlines()
    statements = {}
    # Outer statements first, inner ones after: the innermost assignment spanning a line wins.
    pending = [tree]
    for node in pending:  # grows as it goes: breadth first
        if isinstance(node, (_ast.Assign, _ast.AnnAssign)) and node.value is not None:
            for number in range(node.lineno, (getattr(node, "end_lineno", None) or node.lineno) + 1):
                statements[number] = (node, lines)
        for field in node._fields:
            child = getattr(node, field, None)
            if isinstance(child, list):
                pending.extend(each for each in child if isinstance(each, _ast.AST))
            elif isinstance(child, _ast.AST):
                pending.append(child)
    return statements


# After a backslash, what keeps its meaning: a quote or backslash it escapes, a line break it continues.
_KEPT_AFTER_BACKSLASH = frozenset(b"\\'\"\r\n")


def _without_escapes(source):
    """`source` with every other escape sequence made `\\\\` (same length, same structure).

    Parsing the learner's file again must print nothing: Python 3.12+ warns about an
    invalid escape such as "\\d" at parse time (SyntaxWarning), and a warning filter changed
    around the parse would make warnings the program already saw show again. String contents
    do not matter for names, and every column stays where it was.
    """
    at = source.find(b"\\")
    if at < 0:
        return source
    out = bytearray(source)
    end = len(out) - 1
    while 0 <= at < end:
        if out[at + 1] not in _KEPT_AFTER_BACKSLASH:
            out[at + 1] = 0x5C  # the pair becomes an escaped backslash
        at = source.find(b"\\", at + 2)
    return bytes(out)


def _called_name(func):
    if isinstance(func, _ast.Name):
        return func.id
    if isinstance(func, _ast.Attribute):
        return func.attr
    return None


def _target_name(target, lines):
    """`lock`, `self.lock`, `locks[i]` as written; None for what is not a plain target."""
    if isinstance(target, _ast.Name):
        return target.id
    if isinstance(target, _ast.Attribute):
        owner = _target_name(target.value, lines)
        return owner + "." + target.attr if owner else None
    if isinstance(target, _ast.Subscript) and target.lineno == getattr(target, "end_lineno", None):
        # Offsets count UTF-8 bytes of the line.
        text = lines[target.lineno - 1][target.col_offset:target.end_col_offset].decode("utf-8")
        return " ".join(text.split()) or None
    return None
