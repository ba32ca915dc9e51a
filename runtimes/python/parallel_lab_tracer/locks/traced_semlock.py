"""The traced methods of every multiprocessing SemLock.

`with lock:` calls SemLock.__enter__/__exit__ (class attributes, replaced by fast_paths.enter
and fast_paths.exit); `lock.acquire()`/`lock.release()` call the per-instance methods that
SemLock binds in _make_methods (replaced by `bind`, which builds closures around the C
semlock with the same fast paths as `with`: see fast_paths.py, whose rules hold here too).
"""

import sys

from .. import thread_id
from ..quiet import quietly
from ..tracebacks import drop_tracer_frames as _drop_tracer_frames
from . import identity as identities, learner_site, records, roles
from .aggregation import QUICK_HOLDS_FOLDED_AT
from .fast_paths import STATE, acquire_contended as _acquire_contended
from .lock_state import LockState, _now
from .pickled_state import arrived, semaphore_key, traced_state

_this_thread = thread_id.this_thread
_getframe = sys._getframe
_cached_site = learner_site.cached_site
_site_at = learner_site.site_at
_add_cycle = records.cycles.add


def _bound_methods(state):
    """acquire() and release() of one SemLock: the same fast paths as enter and exit."""
    c_acquire = state.c_acquire
    c_release = state.c_release

    def acquire(block=True, timeout=None):
        try:
            if state.idle and block is True and timeout is None:
                tid = _this_thread.tid
                if c_acquire(False):
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
                acquired = c_acquire(block, timeout)
                if acquired:
                    state.depth += 1
                return acquired
            return state.acquire_slow(block, timeout, _getframe(1))
        except BaseException as error:
            _drop_tracer_frames(error)  # the C method they stand for has no frame
            raise

    def release():
        try:
            hold = state.fast_hold
            if hold is not None:
                if state.depth:
                    c_release()
                    state.depth -= 1
                    return None
                now = _now()  # before the lock is let go (see fast_paths.enter)
                state.fast_hold = None
                state.idle = state.plain
                try:
                    c_release()
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
            return state.release_slow(_getframe(1))
        except BaseException as error:
            _drop_tracer_frames(error)
            raise

    return acquire, release


def bind(lock, original_make_methods):
    """SemLock._make_methods: after creation (in the creator) and after unpickling (in a child)."""
    state = _state_for(lock)
    if state is None or state.identity.role == identities.QUEUE_CAPACITY:
        original_make_methods(lock)
        return
    lock.acquire, lock.release = _bound_methods(state)


@quietly
def _state_for(lock):
    semlock = lock._semlock
    carried = arrived.pop(semaphore_key(semlock.name, semlock.handle), None)
    if carried is not None:
        identity = identities.LockIdentity.arrived(carried)
    else:
        # _getframe(3): past this function, quietly's wrapper and bind.
        identity = identities.for_new_lock(lock, semlock, _getframe(3), _state_of)
    state = LockState(identity, semlock.acquire, semlock.release, semlock.kind == 0, semlock.maxvalue)
    lock.__dict__[STATE] = state
    roles.link(state)
    state.settle()
    return state


def _state_of(lock):
    return lock.__dict__.get(STATE) if hasattr(lock, "__dict__") else None


def traced_getstate(original_getstate):
    def __getstate__(self):
        try:
            state = original_getstate(self)
        except BaseException as error:
            # "should only be shared between processes through inheritance": the library's
            # frames, not this one.
            _drop_tracer_frames(error)
            raise
        return _with_identity(self, state)

    return __getstate__


def _with_identity(lock, state):
    try:
        lock_state = lock.__dict__.get(STATE)
        if lock_state is None or len(state) != 4:
            return state
        return traced_state(state, lock_state.identity.carried())
    except Exception:
        return state
