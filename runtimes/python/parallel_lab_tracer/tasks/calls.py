"""What a pool task calls, as the learner wrote it: the function's name, how many calls the
task carries, and a short text of the call for warnings ("job(2)").

- executor.map and Pool.map send chunks: one task, several items.
- joblib wraps the learner's calls: a task is SafeFunction(BatchedCalls([(f, args, kwargs),
  ...])), one batch of calls of `f` (joblib batches automatically). The learner named `f`,
  not SafeFunction or BatchedCalls. Recognised by their class names in joblib's modules, so
  joblib is never imported here.

Arguments are written out only when their text cannot run the learner's code or cost much:
small ints, floats, bools, None and short strings; anything else is "…".
"""

import functools

# Modules whose `_process_chunk(fn, chunk)` runs one chunk of an executor's map.
_CHUNK_MODULES = (
    "concurrent.futures.process",
    "joblib.externals.loky.process_executor",
    "loky.process_executor",
)
_JOBLIB_SAFE_FUNCTION = ("SafeFunction", "joblib._parallel_backends")
_JOBLIB_BATCH = ("BatchedCalls", "joblib.parallel")

_SHOWN_ARGUMENTS = 4
_SHORT_TEXT = 20
_SMALL_INT = 10 ** 15


def executor_call(fn, args, kwargs):
    """(fn name, items, call text) of an executor's work item `fn(*args, **kwargs)`."""
    if isinstance(fn, functools.partial) and _is_chunk_runner(fn.func) and fn.args and args:
        # map's chunks: partial(_process_chunk, the learner's function), (chunk,)
        name = function_name(fn.args[0])
        items = len(args[0])
        return name, items, _calls_text(items, name)
    return _call(fn, args, kwargs)


def pool_call(fn, args, kwargs, chunk_runners):
    """(fn name, items, call text) of a Pool task; `chunk_runners`: Pool's mapstar and starmapstar."""
    for runner in chunk_runners:  # `is`: `fn in chunk_runners` would call the learner's __eq__
        if fn is runner:
            # map and starmap send chunks: args is ((the learner's function, chunk),)
            func, chunk = args[0]
            name = function_name(func)
            return name, len(chunk), _calls_text(len(chunk), name)
    return _call(fn, args, kwargs)


def _call(fn, args, kwargs):
    batch = _joblib_batch(fn)
    if batch is not None:
        names = []
        for func, _args, _kwargs in batch:
            name = function_name(func)
            if name not in names:
                names.append(name)
        name = ", ".join(names)
        if len(batch) == 1:
            func, batch_args, batch_kwargs = batch[0]
            return name, 1, describe(name, batch_args, batch_kwargs)
        return name, len(batch), _calls_text(len(batch), name)
    name = function_name(fn)
    return name, 1, describe(name, args, kwargs)


def _joblib_batch(fn):
    """The (func, args, kwargs) list of a joblib task, or None for any other callable."""
    kind = type(fn)
    # The name first: for any other callable, one string comparison.
    if kind.__name__ == _JOBLIB_SAFE_FUNCTION[0] and kind.__module__ == _JOBLIB_SAFE_FUNCTION[1]:
        fn = getattr(fn, "func", None)
        kind = type(fn)
    if kind.__name__ == _JOBLIB_BATCH[0] and kind.__module__ == _JOBLIB_BATCH[1]:
        items = getattr(fn, "items", None)
        if type(items) is list and all(type(item) is tuple and len(item) == 3 for item in items):
            return items
    return None


def _is_chunk_runner(func):
    return getattr(func, "__name__", None) == "_process_chunk" and getattr(func, "__module__", None) in _CHUNK_MODULES


def _calls_text(items, name):
    return "%d calls of %s" % (items, name)


def describe(name, args, kwargs):
    """`name(2, 'a', …)`: the call as the learner would write it, values only where harmless."""
    if type(args) is not tuple or (kwargs is not None and type(kwargs) is not dict):
        return "%s(…)" % name
    if not kwargs and len(args) == 1:
        return "%s(%s)" % (name, _value_text(args[0]))  # the common case, without the lists below
    kwargs = kwargs or {}
    parts = [_value_text(value) for value in args[:_SHOWN_ARGUMENTS]]
    if len(args) > _SHOWN_ARGUMENTS:
        parts.append("…")
    for key in list(kwargs)[:_SHOWN_ARGUMENTS]:
        parts.append("%s=%s" % (key, _value_text(kwargs[key])))
    return "%s(%s)" % (name, ", ".join(parts))


def _value_text(value):
    kind = type(value)
    if value is None or kind is bool or kind is float:
        return repr(value)
    if kind is int and -_SMALL_INT < value < _SMALL_INT:
        return repr(value)
    if kind is str and len(value) <= _SHORT_TEXT:
        return repr(value)
    return "…"


def function_name(fn):
    while isinstance(fn, functools.partial):
        fn = fn.func
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__
