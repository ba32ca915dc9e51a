"""`with lock:` on every traced lock: the hot paths live here.

`enter` and `exit` are the `__enter__`/`__exit__` of multiprocessing's SemLock (replaced by
patches/synchronize.py), of the wrappers of threading's C locks (traced_thread_lock.py) and of
the learner's threading.Semaphore (threading_objects.py). They find the lock's LockState in
its attribute STATE. Each fast path is a handful of attribute reads and one tuple: an acquire
that gets the lock at once, or within LIVE_WAIT_S when another thread or process holds it,
records (tid, request time, acquired time, site) in `fast_hold`, an RLock re-entry by the
holder only counts `depth`, and the release appends the finished cycle to the batch, or only
its hold time to `quick_holds` once the lock switched to aggregation (folded into counts in
bulk). Anything else goes to the slow paths in lock_state.py.

The acquire and release fast paths are written out three times, in `enter` and `exit` here,
in SemLock's `acquire` and `release` closures (traced_semlock.py) and in the threading
wrappers' `acquire` and `release` (traced_thread_lock.py), on purpose: a shared helper would add a Python call (about 0.05 µs) to every cycle, a sixth
of the budget. Change one, change the others.

A release writes the state before it lets the lock go: the moment it is free, another
thread of this process may take it and write its own hold.

Nothing on the fast paths guards against the tracer's own errors: every operation there is
an attribute read or write on a state the tracer created, a C call whose errors are the
learner's own (the lock's), or a tuple; the site lookup and the batch flush they may call
are guarded themselves. Each method's body is one `try` whose `except` only re-raises the
learner's exception (a KeyboardInterrupt while blocked, "released too many times") with the
traceback it has without the tracer (tracebacks.py): from Python 3.11 a `try` costs
nothing until something is raised; before, two cheap opcodes.
"""

import sys

from .. import thread_id
from ..tracebacks import drop_tracer_frames as _drop_tracer_frames
from . import learner_site, records
from .aggregation import QUICK_HOLDS_FOLDED_AT
from .lock_state import LIVE_WAIT_S, _now

# The attribute of a traced lock holding its LockState.
STATE = "_parallel_lab_lock"
# The class attribute of a lock class holding (enter entry, exit entry): the traceback entries
# its own __enter__ and __exit__ have (tracebacks.stand_in_entry), where they are Python
# functions that `enter` and `exit` replace. An exception they pass on shows that entry where
# theirs would be, as it reads without the tracer. None where the original is C (no entry).
STAND_INS = "_parallel_lab_stand_ins"
_NO_STAND_INS = (None, None)

_this_thread = thread_id.this_thread
_getframe = sys._getframe
_cached_site = learner_site.cached_site
_site_at = learner_site.site_at
_add_cycle = records.cycles.add


def enter(self):
    try:
        state = self._parallel_lab_lock
        if state.idle:
            tid = _this_thread.tid
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
            return acquire_contended(state, _getframe(1), _now(), tid)
        hold = state.fast_hold
        if hold is not None and state.recursive and hold[0] == _this_thread.tid:
            state.c_acquire()  # the holder re-entering its RLock: cannot block
            state.depth += 1
            return True
        return state.enter_slow(self, _getframe(1))
    except BaseException as error:
        # KeyboardInterrupt while blocked, say: the traceback the learner would read.
        _drop_tracer_frames(error, getattr(type(self), STAND_INS, _NO_STAND_INS)[0])
        raise


def exit(self, exc_type=None, exc=None, traceback=None):
    # Three named arguments, as `with` passes them: cheaper than *args.
    try:
        state = self._parallel_lab_lock
        hold = state.fast_hold
        if hold is not None:
            if state.depth:
                state.c_release()
                state.depth -= 1
                return None
            now = _now()
            state.fast_hold = None
            state.idle = state.plain
            try:
                state.c_release()
            except BaseException:
                # Not the holder's to release (an RLock): the hold stays the holder's.
                state.fast_hold = hold
                state.idle = False
                raise
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
        return state.exit_slow(self, _getframe(1), (exc_type, exc, traceback))
    except BaseException as error:
        # "released too many times" after a release inside the block, say.
        _drop_tracer_frames(error, getattr(type(self), STAND_INS, _NO_STAND_INS)[1])
        raise


def acquire_contended(state, frame, request_ns, tid):
    """A blocking acquire that found the lock taken by another thread or process: the first
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
