"""The traced methods of every multiprocessing SemLock: the hot paths live here.

`with lock:` calls SemLock.__enter__/__exit__ (class attributes, replaced here);
`lock.acquire()`/`lock.release()` call the per-instance methods that SemLock binds in
_make_methods (replaced by `bind`, which builds closures around the C semlock). Each fast
path is a handful of attribute reads and one tuple: an acquire that gets the lock at once,
or within LIVE_WAIT_S when another process holds it, records (tid, request time, acquired
time, site) in `fast_hold`, an RLock re-entry by the holder only counts `depth`,
and the release appends the finished cycle to the batch, or only its hold time to
`quick_holds` once the lock switched to aggregation (folded into counts in bulk). Anything else goes to the slow paths in lock_state.py.

The release fast path is written out twice, in `exit` and in the `release` closure, on
purpose: a shared helper would add a Python call (about 0.05 µs) to every cycle, a sixth of
the budget. Change one, change the other.

Nothing on the fast paths guards against the tracer's own errors: every operation there is
an attribute read or write on a state this module created, a C call whose errors are the
learner's own (the semlock's), or a tuple; the site lookup and the batch flush they may call
are guarded themselves. Each method's body is one `try` whose `except` only re-raises the
learner's exception (a KeyboardInterrupt while blocked, "released too many times") with the
traceback it has without the tracer (tracebacks.py): from Python 3.11 a `try` costs
nothing until something is raised; before, two cheap opcodes.
"""

import sys

from ..quiet import quietly
from ..tracebacks import drop_tracer_frames as _drop_tracer_frames
from . import identity as identities, learner_site, records, roles
from .aggregation import QUICK_HOLDS_FOLDED_AT
from .lock_state import LIVE_WAIT_S, UNTRACED, LockState, _now, _tid
from .pickled_state import arrived, semaphore_key, traced_state

# The attribute of a SemLock holding its LockState (class default: UNTRACED).
STATE = "_parallel_lab_lock"

_getframe = sys._getframe
_cached_site = learner_site.cached_site
_site_at = learner_site.site_at
_add_cycle = records.cycles.add

# The entries SemLock's own __enter__ and __exit__ (multiprocessing/synchronize.py) have in a
# traceback raised through them, as tracebacks.stand_in_entry reads them: set by
# patches/synchronize.py. `enter` and `exit` replace those methods, so an exception they
# pass on shows that entry where theirs would be, as it reads without the tracer.
ENTERED_AT = [None]
EXITED_AT = [None]


def enter(self):
    try:
        state = self._parallel_lab_lock
        if state.idle:
            tid = _tid()
            if state.c_acquire(False):
                # The clock read once the lock is ours, and (in exit) before it is let go: a
                # recorded hold lies within the real one, so two never overlap on the timeline.
                now = _now()
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
        if hold is not None and state.recursive and hold[0] == _tid():
            state.c_acquire()  # the holder re-entering its RLock: cannot block
            state.depth += 1
            return True
        return state.enter_slow(self, _getframe(1))
    except BaseException as error:
        # KeyboardInterrupt while blocked, say: the traceback the learner would read.
        _drop_tracer_frames(error, ENTERED_AT[0])
        raise


def exit(self, *args):
    try:
        state = self._parallel_lab_lock
        hold = state.fast_hold
        if hold is not None:
            if state.depth:
                state.c_release()
                state.depth -= 1
                return None
            now = _now()
            state.c_release()
            state.fast_hold = None
            state.idle = state.plain
            quick_holds = state.quick_holds
            if quick_holds is None:
                # wire.LOCK_CYCLE_FIELDS, inline: the hot path has no room for a call.
                _add_cycle((hold[0], state.id, hold[1], hold[2], now, hold[3]), now)
            elif hold[1] == hold[2]:
                quick_holds.append(now - hold[2])
                if len(quick_holds) >= QUICK_HOLDS_FOLDED_AT:
                    state.stats.fold(quick_holds)
            else:
                state.stats.add(hold[2] - hold[1], now - hold[2])
            return None
        return state.exit_slow(self, _getframe(1), args)
    except BaseException as error:
        # "released too many times" after a release inside the block, say.
        _drop_tracer_frames(error, EXITED_AT[0])
        raise


def _acquire_contended(state, frame, request_ns, tid):
    """A blocking acquire that found the lock taken by another process: the first
    LIVE_WAIT_S of the wait stay on the fast path (most contended waits are that short)."""
    if state.c_acquire(True, LIVE_WAIT_S):
        now = _now()
        if state.fast_hold is None and not state.holds:
            state.idle = False
            site = None
            if state.quick_holds is None:
                site = _cached_site((id(frame.f_code), frame.f_lasti))
                if site is None:
                    site = _site_at(frame)
            state.fast_hold = (tid, request_ns, now, site)
            return True
        return state.acquired_meanwhile(request_ns, frame)
    return state.acquire_after_live_wait(request_ns, frame)


def _bound_methods(state):
    """acquire() and release() of one SemLock: the same fast paths as enter and exit."""
    c_acquire = state.c_acquire
    c_release = state.c_release

    def acquire(block=True, timeout=None):
        try:
            if state.idle and block is True and timeout is None:
                tid = _tid()
                if c_acquire(False):
                    now = _now()  # once the lock is ours (see enter)
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
            if hold is not None and state.recursive and hold[0] == _tid():
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
                now = _now()  # before the lock is let go (see enter)
                c_release()
                state.fast_hold = None
                state.idle = state.plain
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
    state = LockState(identity, semlock)
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
