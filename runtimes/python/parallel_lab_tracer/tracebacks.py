"""Tracebacks as the learner reads them without the tracer: no entry of the tracer's own.

A wrapper that catches an exception on its way to the learner's code calls
`drop_tracer_frames(error)` in its `except` block, right before a bare `raise`. It unlinks
every entry of a tracer frame from the traceback (the wrapper's own, and those of the slow
paths below it), keeps every other entry (the standard library's frames, a signal
handler's), and optionally puts a stand-in in front: the entry that the method the wrapper
replaced would have had (SemLock.__enter__ and __exit__ are Python functions in
multiprocessing/synchronize.py, threading.Semaphore.__exit__ one in threading.py; the
tracer's replacements must leave their frame in place).

How the bare `raise` then re-raises:
- Python 3.11 on: with the exception's current __traceback__, adding no entry for the
  re-raising frame; setting __traceback__ is enough.
- Python 3.8 to 3.10: with the traceback held in the thread's "exception being handled"
  (what sys.exc_info() returns), which is the one as caught, our own entry first. Setting
  __traceback__ is not enough, and any other way to raise from Python adds the raising
  frame again. So there the handled exception is replaced through the C API
  (PyErr_SetExcInfo, through ctypes, loaded at the first exception that needs it): the
  bare raise then re-raises exactly the traceback built here. Without ctypes, the
  traceback keeps the wrapper's entry, as before.

Only the failing path pays: nothing here runs unless an exception passes.
"""

import os
import sys

_TRACER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_REPLACE_HANDLED = sys.version_info < (3, 11)
# [set_exc_info, incref] once loaded; [] before; [None, None] when ctypes cannot do it here.
_c_api = []
# co_filename -> whether it is one of the tracer's files
_tracer_files = {}


def drop_tracer_frames(error, stand_in=None):
    """Call from the wrapper's `except` block, right before a bare `raise`.

    `stand_in`: (frame, lasti, lineno) of an entry to put first, as `stand_in_entry` read it.
    """
    try:
        traceback = _relinked(error.__traceback__, stand_in)
        error.__traceback__ = traceback
        if _REPLACE_HANDLED:
            _set_handled(error, traceback)  # last: see _set_handled
    except Exception:
        pass


def stand_in_entry(method, name, via=None, args=()):
    """(frame, lasti, lineno) of the frame of `method(self, *args)` at its call of
    `self.<via>.<name>(...)` (`self.<name>(...)` without `via`), or None: read once by calling
    `method` on a stand-in self that stops at that call. The frame is the library's own, so a
    traceback shows its file, line, function and (3.11 on) the columns of the call exactly."""
    try:
        import types

        class _Stop(Exception):
            pass

        def stop(*args):
            raise _Stop

        probe = types.SimpleNamespace(**{name: stop})
        if via is not None:
            probe = types.SimpleNamespace(**{via: probe})
        try:
            method(probe, *args)
        except _Stop as stopped:
            entry = stopped.__traceback__.tb_next
            if entry is None or _is_tracer(entry.tb_frame.f_code.co_filename):
                return None
            return entry.tb_frame, entry.tb_lasti, entry.tb_lineno
        return None
    except Exception:
        return None


def _relinked(traceback, stand_in):
    kept = []
    while traceback is not None:
        if not _is_tracer(traceback.tb_frame.f_code.co_filename):
            kept.append(traceback)
        traceback = traceback.tb_next
    for entry, following in zip(kept, kept[1:]):
        if entry.tb_next is not following:
            entry.tb_next = following
    if kept and kept[-1].tb_next is not None:
        kept[-1].tb_next = None
    head = kept[0] if kept else None
    if stand_in is not None:
        frame, lasti, lineno = stand_in
        from types import TracebackType

        head = TracebackType(head, frame, lasti, lineno)
    return head


def _is_tracer(filename):
    known = _tracer_files.get(filename)
    if known is None:
        known = os.path.abspath(filename).startswith(_TRACER_DIR) if filename else False
        _tracer_files[filename] = known
    return known


def _set_handled(error, traceback):
    """Makes (type, error, traceback) the exception being handled (3.8 to 3.10), so that
    the caller's bare `raise` re-raises this traceback. Called outside any `except` block
    of its own: entering one would change what is being handled."""
    if not _c_api:
        _c_api.extend(_load_c_api())
    set_exc_info, incref = _c_api
    if set_exc_info is None:
        return
    kind = type(error)
    # PyErr_SetExcInfo steals a reference to each; it releases the ones it replaces.
    incref(kind)
    incref(error)
    if traceback is not None:
        incref(traceback)
        set_exc_info(kind, error, id(traceback))
    else:
        set_exc_info(kind, error, None)  # NULL, not None: a traceback of None is refused


def _load_c_api():
    try:
        if sys.implementation.name != "cpython":
            return [None, None]
        import ctypes

        # A library of our own (not ctypes.pythonapi, whose functions the program may use
        # with other argtypes).
        api = ctypes.PyDLL(ctypes.pythonapi._name, handle=ctypes.pythonapi._handle)
        incref = api.Py_IncRef
        incref.argtypes = [ctypes.py_object]
        incref.restype = None
        set_exc_info = api.PyErr_SetExcInfo
        set_exc_info.argtypes = [ctypes.py_object, ctypes.py_object, ctypes.c_void_p]
        set_exc_info.restype = None
        return [set_exc_info, incref]
    except Exception:
        return [None, None]
