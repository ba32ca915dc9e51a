"""The learner's threading Condition, Semaphore, BoundedSemaphore, Event and Barrier.

patches/threading_locks.py hands each one the learner's code makes (of that very class, not
a subclass the learner wrote) to `trace` here, once threading's own __init__ has run. Its
class then becomes a subclass of that class which passes for it: same module, name and repr,
pickled as the class itself (so pickling one fails on its lock, with the same TypeError).

- Condition: its lock is traced as any lock (when the learner gave none, the RLock made for
  it is the Condition's, kind "Condition", named as the Condition); its wait for notify is a
  cycle of `<id>/wait`, api "Condition.wait" (watched_waits.py), as multiprocessing's.
- Semaphore, BoundedSemaphore: a lock that several threads may hold at once: `with` takes
  the fast paths (fast_paths.py), acquire() and release() the slow ones (lock_state.py),
  whose acquire waits in two parts to show a wait live (no wakeup is lost: the count is in
  `_value`, which every acquire reads again).
- Event, Barrier: each wait a cycle of the object (watched_waits.py): a wait for a signal.

The Condition inside an Event, a Barrier or a Semaphore is threading's own and stays plain,
but for the watched wait of an Event's and a Barrier's.
"""

import sys
import threading
import types

from .. import tracebacks
from ..quiet import quietly
from ..tracebacks import drop_tracer_frames as _drop_tracer_frames
from . import fast_paths, identity as identities, traced_thread_lock, watched_waits
from .lock_state import MAX_HOLDS, LockState

_getframe = sys._getframe
_STATE = fast_paths.STATE

_watched_wait = watched_waits.watching_wait(threading.Condition.wait)
_event_wait = threading.Event.wait
_barrier_wait = threading.Barrier.wait


def _passing_for(original, methods):
    """A subclass of `original` with `methods`, which reads as `original` wherever it shows:
    its names, `obj.__class__`, and what pickling it names (pickle checks the two agree)."""
    traced_class = None

    def __reduce_ex__(self, protocol):
        try:
            reduced = object.__reduce_ex__(self, protocol)
        except BaseException as error:
            _drop_tracer_frames(error)
            raise
        return _as_class(reduced, traced_class, original)

    namespace = dict(methods)
    namespace.update({
        "__module__": original.__module__, "__qualname__": original.__qualname__, "__doc__": original.__doc__,
        "__reduce_ex__": __reduce_ex__, "__class__": property(lambda self: original),
    })
    traced_class = type(original.__name__, (original,), namespace)
    return traced_class


def _as_class(reduced, traced_class, original):
    if isinstance(reduced, tuple) and len(reduced) >= 2 and isinstance(reduced[1], tuple):
        arguments = tuple(original if each is traced_class else each for each in reduced[1])
        return (reduced[0], arguments) + reduced[2:]
    return reduced


# The Condition inside the learner's Event or Barrier: their waits block in this wait.
_WatchedCondition = _passing_for(threading.Condition, {"wait": _watched_wait})


def _condition_wait(self, timeout=None):
    try:
        wait = watched_waits.begin(self.__dict__[_STATE], _getframe(1))
        try:
            return _watched_wait(self, timeout)
        finally:
            watched_waits.end_notified(wait)
    except BaseException as error:
        _drop_tracer_frames(error)
        raise


_TracedCondition = _passing_for(threading.Condition, {"wait": _condition_wait})


# A Semaphore's lock calls, through its lock state (see the module's docstring). Its
# c_release is the class's own release, bound.


def _semaphore_acquire(self, blocking=True, timeout=None):
    try:
        return self._parallel_lab_lock.acquire_slow(blocking, timeout, _getframe(1))
    except BaseException as error:
        _drop_tracer_frames(error)
        raise


def _semaphore_release(self, *args, **kwargs):
    try:
        state = self._parallel_lab_lock
        if not args and not kwargs:
            return state.release_slow(_getframe(1))
        count = args[0] if args else kwargs.get("n")
        return state.release_many(lambda: state.c_release(*args, **kwargs), count if type(count) is int else 1, _getframe(1))
    except BaseException as error:
        _drop_tracer_frames(error)
        raise


_SEMAPHORE_METHODS = {
    "__enter__": fast_paths.enter,
    "__exit__": fast_paths.exit,
    "acquire": _semaphore_acquire,
    "release": _semaphore_release,
    # Semaphore.__exit__ is threading.py's: an error of the release inside it shows its entry.
    fast_paths.STAND_INS: (None, tracebacks.stand_in_entry(threading.Semaphore.__exit__, "release", args=(None, None, None))),
}
_TracedSemaphore = _passing_for(threading.Semaphore, _SEMAPHORE_METHODS)
_TracedBoundedSemaphore = _passing_for(threading.BoundedSemaphore, _SEMAPHORE_METHODS)


def _event_wait_traced(self, timeout=None):
    try:
        wait = watched_waits.begin(self.__dict__[_STATE], _getframe(1))
        try:
            signaled = _event_wait(self, timeout)
        except BaseException:
            watched_waits.end(wait, False)
            raise
        watched_waits.end(wait, signaled)
        return signaled
    except BaseException as error:
        _drop_tracer_frames(error)
        raise


def _barrier_wait_traced(self, timeout=None):
    try:
        wait = watched_waits.begin(self.__dict__[_STATE], _getframe(1))
        try:
            index = _barrier_wait(self, timeout)
        except BaseException:
            watched_waits.end(wait, False)  # broken, or timed out (which breaks it)
            raise
        watched_waits.end(wait, True)
        return index
    except BaseException as error:
        _drop_tracer_frames(error)
        raise


_TracedEvent = _passing_for(threading.Event, {"wait": _event_wait_traced})
_TracedBarrier = _passing_for(threading.Barrier, {"wait": _barrier_wait_traced})


@quietly
def own_condition_lock(frame):
    """The RLock threading.Condition() would make, for the learner's Condition on `frame`:
    traced as the Condition (kind "Condition", named as it)."""
    identity = identities.for_threading("Condition", "Condition", frame, identities.CONDITION)
    return traced_thread_lock.traced(threading._CRLock(), identity)


@quietly
def trace(obj, frame):
    """Traces `obj`, which the learner's code on `frame` has just made."""
    kind = type(obj).__name__
    if kind == "Condition":
        lock = obj._lock
        own = getattr(lock, _STATE, None) if isinstance(lock, traced_thread_lock.TracedRLock) else None
        if own is not None and own.identity.role == identities.CONDITION:
            waits = own.identity.notify_wait()
        else:
            waits = identities.for_threading("Condition", "Condition", frame, identities.CONDITION).notify_wait()
        state = LockState(waits)
        traced_class = _TracedCondition
    elif kind in ("Semaphore", "BoundedSemaphore"):
        original = type(obj)
        state = LockState(
            identities.for_threading(kind, kind, frame),
            types.MethodType(original.acquire, obj),
            types.MethodType(original.release, obj),
            False,
            obj._initial_value if kind == "BoundedSemaphore" else MAX_HOLDS,
        )
        traced_class = _TracedBoundedSemaphore if kind == "BoundedSemaphore" else _TracedSemaphore
    else:  # Event, Barrier
        state = LockState(identities.for_threading(kind, kind, frame))
        traced_class = _TracedEvent if kind == "Event" else _TracedBarrier
    state.settle()
    # The state first: the traced methods read it.
    obj.__dict__[_STATE] = state
    if traced_class is _TracedEvent or traced_class is _TracedBarrier:
        obj._cond.__class__ = _WatchedCondition
    obj.__class__ = traced_class
