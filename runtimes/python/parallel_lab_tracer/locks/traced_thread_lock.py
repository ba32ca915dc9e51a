"""The learner's threading.Lock and threading.RLock: a wrapper around the C lock.

threading.Lock is `_thread.allocate_lock` (a class of its own from 3.13) and RLock's C type
cannot stand in for it either: neither has a Python method to replace, and `_thread.lock`
cannot be subclassed. So a lock the learner's code makes is a TracedLock (TracedRLock)
holding the C lock; the library's own locks stay plain C locks (patches/threading_locks.py).
`with lock:` runs fast_paths.enter and exit; acquire() and release() the same fast paths
written out here (see fast_paths.py: why they are written out, and their rules). Everything
else is the C lock's own, through __getattr__ (locked(), _is_owned(), _at_fork_reinit(), ...).

What a learner can see of the wrapper reads as the C lock: its class's names are
`_thread.lock` / `_thread.RLock`, its repr is the C lock's, pickling it raises the C lock's
TypeError, and a wrong attribute the C lock's AttributeError. Exceptions leave with the
traceback they have without the tracer: the C lock's methods have no frame, so every tracer
entry is dropped (tracebacks.py).

A threading.Condition built on a traced Lock calls acquire(False) and release() in its
_is_owned (to test whether the lock is held): those calls are no cycles, and pass straight
to the C lock. One built on a traced RLock calls _release_save and _acquire_restore around
its wait: they end the hold and start the re-acquire's (lock_state.py).
"""

import sys
import threading

from .. import thread_id
from ..tracebacks import drop_tracer_frames as _drop_tracer_frames
from . import fast_paths, learner_site, records
from .aggregation import QUICK_HOLDS_FOLDED_AT
from .fast_paths import acquire_contended as _acquire_contended
from .lock_state import LockState, _now

_this_thread = thread_id.this_thread
_getframe = sys._getframe
_cached_site = learner_site.cached_site
_site_at = learner_site.site_at
_add_cycle = records.cycles.add

_condition_is_owned = threading.Condition._is_owned.__code__


class _TracedThreadLock(object):
    __slots__ = (fast_paths.STATE, "_lock", "__weakref__")

    __enter__ = fast_paths.enter
    __exit__ = fast_paths.exit

    def acquire(self, blocking=True, timeout=-1):
        try:
            state = self._parallel_lab_lock
            if state.idle and blocking is True and timeout == -1:
                tid = _this_thread.tid
                if state.c_acquire(False):
                    now = _now()  # once the lock is ours (see fast_paths.enter)
                    state.idle = False
                    if state.quick_holds is None:
                        frame = _getframe(1)
                        site = _cached_site((id(frame.f_code), frame.f_lasti))
                        if site is None:
                            site = _site_at(frame)
                        state.fast_hold = (tid, now, now, site)
                    else:
                        state.fast_hold = (tid, now, now, None)
                    return True
                return _acquire_contended(state, _getframe(1), _now(), tid)
            hold = state.fast_hold
            if hold is not None and state.recursive and hold[0] == _this_thread.tid:
                acquired = state.c_acquire(blocking, timeout)
                if acquired:
                    state.depth += 1
                return acquired
            frame = _getframe(1)
            if frame.f_code is _condition_is_owned:
                return state.c_acquire(blocking, timeout)
            return state.acquire_slow(blocking, timeout, frame)
        except BaseException as error:
            _drop_tracer_frames(error)  # the C method it stands for has no frame
            raise

    def release(self):
        try:
            state = self._parallel_lab_lock
            hold = state.fast_hold
            if hold is not None:
                if state.depth:
                    state.c_release()
                    state.depth -= 1
                    return None
                now = _now()  # before the lock is let go (see fast_paths.enter)
                state.fast_hold = None
                state.idle = state.plain
                try:
                    state.c_release()
                except BaseException:
                    state.fast_hold = hold  # not this thread's to release (see fast_paths.exit)
                    state.idle = False
                    raise
                quick_holds = state.quick_holds
                if quick_holds is None:
                    _add_cycle((hold[0], state.id, hold[1], hold[2], now, hold[3]), now)  # wire.LOCK_CYCLE_FIELDS
                elif hold[1] == hold[2]:
                    quick_holds.append(now - hold[2])
                    if len(quick_holds) >= QUICK_HOLDS_FOLDED_AT:
                        state.stats.fold(quick_holds)
                else:
                    state.stats.add(hold[2] - hold[1], now - hold[2])
                return None
            frame = _getframe(1)
            if frame.f_code is _condition_is_owned:
                return state.c_release()
            return state.release_slow(frame)
        except BaseException as error:
            _drop_tracer_frames(error)
            raise

    def __repr__(self):
        return repr(self._lock)

    def __reduce_ex__(self, protocol):
        try:
            return self._lock.__reduce_ex__(protocol)  # "cannot pickle '_thread.lock' object"
        except BaseException as error:
            _drop_tracer_frames(error)
            raise

    def __getattr__(self, name):
        # Only for what the class does not define: the C lock's other methods, and its
        # AttributeError (with its "Did you mean" from 3.10) for what it has not either.
        lock = object.__getattribute__(self, "_lock")
        try:
            return getattr(lock, name)
        except AttributeError as error:
            _drop_tracer_frames(error)
            raise


class TracedLock(_TracedThreadLock):
    __slots__ = ()

    acquire_lock = _TracedThreadLock.acquire
    release_lock = _TracedThreadLock.release


class TracedRLock(_TracedThreadLock):
    __slots__ = ()

    def _release_save(self):
        """Condition.wait lets the lock go however deep its holder is in it."""
        try:
            state = self._parallel_lab_lock
            return state.release_saving(self._lock._release_save, _getframe(1))
        except BaseException as error:
            _drop_tracer_frames(error)
            raise

    def _acquire_restore(self, saved):
        """Condition.wait takes the lock again, as deep as it was."""
        try:
            state = self._parallel_lab_lock
            return state.acquire_restoring(self._lock._acquire_restore, saved, _getframe(1))
        except BaseException as error:
            _drop_tracer_frames(error)
            raise


# What a learner printing type(lock) reads without the tracer.
for _wrapper, _c_name in ((TracedLock, "lock"), (TracedRLock, "RLock")):
    _wrapper.__module__ = "_thread"
    _wrapper.__name__ = _wrapper.__qualname__ = _c_name


def traced(lock, identity):
    """The learner's `lock` (a C lock or RLock just made), traced as `identity`."""
    recursive = hasattr(lock, "_release_save")
    wrapper = (TracedRLock if recursive else TracedLock)()
    wrapper._lock = lock
    state = LockState(identity, lock.acquire, lock.release, recursive, 1, forever=-1)
    setattr(wrapper, fast_paths.STATE, state)
    state.settle()
    return wrapper
