"""The learner's threading locks: Lock, RLock, Condition, Semaphore, BoundedSemaphore,
Event and Barrier, traced where the learner's code makes them.

Whether a lock is the learner's is decided once, where it is made, by the code that calls
threading: the learner's own files (sites.kind_of: not the standard library's, the
tracer's, joblib's or loky's), and, for threading, no installed package either (requests,
tqdm, ... in site-packages make locks of their own). Only those are traced (locks/traced_thread_lock.py,
locks/threading_objects.py). Everything the standard library makes (a queue.Queue's mutex
and Conditions, logging's RLocks, concurrent.futures', threading's own: a Thread's started
Event, the Condition inside an Event) stays the plain object, and costs nothing more in use;
its creation costs one look at the caller's frame.

- threading.Lock (`_thread.allocate_lock`, and from 3.13 the class `_thread.lock`, which
  cannot be subclassed) and threading.RLock (a function) are replaced by stand-ins that
  make the C lock and hand the learner's a wrapper. On 3.13 the stand-in is a class whose
  isinstance() and issubclass() answer for C locks and wrappers alike.
- Condition, Semaphore, BoundedSemaphore, Event and Barrier keep their classes; their
  __init__ is wrapped, and the learner's objects are traced once it has run. A learner's
  Condition() made without a lock gets the RLock Condition would make, traced as the
  Condition.

The tracing modules are imported at the learner's first lock: a program that makes none
(or only the library's) loads none of them. Exceptions of the originals leave with the
traceback they have without the tracer (tracebacks.py).
"""

import os
import sys

from .. import replacements, sites
from ..channels.wrappers import like as _like
from ..quiet import quietly
from ..tracebacks import drop_tracer_frames as _drop_tracer_frames

_getframe = sys._getframe
_INSTALLED = tuple(os.sep + packages + os.sep for packages in ("site-packages", "dist-packages"))
# code object -> whether it is the learner's own (one look per code object)
_learners = {}

# The classes whose __init__ is wrapped: those threading builds its own primitives with.
_CLASSES = ("Condition", "Semaphore", "BoundedSemaphore", "Event", "Barrier")
_PATCHED = "_parallel_lab_traced"


def patch(threading):
    if getattr(threading, _PATCHED, False):
        return
    replacements.replace(threading, _PATCHED, True)
    replacements.replace(threading, "Lock", _found_as(_lock_stand_in(threading.Lock), threading, "Lock"))
    if getattr(threading, "_CRLock", None) is not None:  # else RLock is the Python _PyRLock: not traced
        replacements.replace(threading, "RLock", _found_as(_rlock_stand_in(threading.RLock), threading, "RLock"))
    for name in _CLASSES:
        cls = getattr(threading, name)
        init = _found_as(_traced_init(cls, cls.__init__), threading, name + ".__init__")
        replacements.replace(cls, "__init__", init)


def _found_as(stand_in, module, qualname):
    """`stand_in`, pickled by reference to where it stands (a Manager() under spawn pickles
    threading.Lock and RLock, the callables it makes its locks with)."""
    stand_in.__module__ = module.__name__
    stand_in.__qualname__ = qualname
    return stand_in


def _is_learners(frame):
    code = frame.f_code
    learners = _learners.get(code)
    if learners is None:
        filename = code.co_filename
        learners = sites.kind_of(code) == sites.LEARNER and not any(place in filename for place in _INSTALLED)
        _learners[code] = learners
    return learners


def _made(lock, made_by, frame):
    """The lock threading's `made_by` made for the code on `frame`: traced if that is the learner's."""
    if not _is_learners(frame):
        return lock
    return _traced(lock, made_by, frame) or lock


def _lock_stand_in(original):
    def Lock(*args, **kwargs):
        try:
            lock = original(*args, **kwargs)
        except BaseException as error:
            _drop_tracer_frames(error)
            raise
        return _made(lock, "Lock", _getframe(1))

    if not isinstance(original, type):
        return _like(original, Lock)

    class _LockClass(type):
        def __instancecheck__(cls, obj):
            return isinstance(obj, (original, _wrapper_class()))

        def __subclasscheck__(cls, subclass):
            return issubclass(subclass, (original, _wrapper_class()))

        def __repr__(cls):
            return repr(original)

    def __new__(cls, *args, **kwargs):
        try:
            lock = original(*args, **kwargs)
        except BaseException as error:
            _drop_tracer_frames(error)
            raise
        return _made(lock, "Lock", _getframe(1))  # type.__call__ has no frame: 1 is the caller

    # Python 3.13: threading.Lock is the class _thread.lock; this one prints as it.
    return _LockClass(original.__name__, (object,), {"__new__": __new__, "__doc__": original.__doc__})


def _wrapper_class():
    from ..locks import traced_thread_lock

    return traced_thread_lock.TracedLock


def _rlock_stand_in(original):
    def RLock(*args, **kwargs):
        try:
            lock = original(*args, **kwargs)
        except BaseException as error:
            _drop_tracer_frames(error)
            raise
        return _made(lock, "RLock", _getframe(1))

    return _like(original, RLock)


@quietly
def _traced(lock, made_by, frame):
    from ..locks import identity, traced_thread_lock

    return traced_thread_lock.traced(lock, identity.for_threading(made_by, made_by, frame))


def _traced_init(cls, original_init):
    def __init__(self, *args, **kwargs):
        frame = _getframe(1)
        learners = type(self) is cls and _is_learners(frame)
        if learners and cls.__name__ == "Condition":
            args, kwargs = _with_own_lock(args, kwargs, frame)
        try:
            original_init(self, *args, **kwargs)
        except BaseException as error:
            _drop_tracer_frames(error)
            raise
        if learners:
            _trace(self, frame)

    return _like(original_init, __init__)


def _with_own_lock(args, kwargs, frame):
    """Condition(): the learner's Condition gets its lock from the tracer, traced as it."""
    if args[1:] or (args and args[0] is not None) or set(kwargs) - {"lock"} or kwargs.get("lock") is not None:
        return args, kwargs
    lock = _own_condition_lock(frame)
    return ((lock,), {}) if lock is not None else (args, kwargs)


@quietly
def _own_condition_lock(frame):
    from ..locks import threading_objects

    return threading_objects.own_condition_lock(frame)


@quietly
def _trace(obj, frame):
    from ..locks import threading_objects

    threading_objects.trace(obj, frame)

