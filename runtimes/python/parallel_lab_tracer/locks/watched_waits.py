"""Waits for a signal on the learner's threading objects (an Event's, a Barrier's, a
Condition's notify): each wait a cycle of the object's wait state, shown live while blocked.

threading's Event.wait and Barrier.wait block in Condition.wait on the object's own
Condition, and Condition.wait blocks on a fresh C lock, its "waiter", that notify() releases.
No wrapper can reach that block: the waiter is a local of Condition.wait. So the Conditions
the learner's objects wait on get `watching_wait`: a copy of Condition.wait, the same code
(its traceback entries are threading.py's own, line for line), whose globals make the waiter
through this module. While one of the learner's waits is open in this thread (`begin` ...
`end`), that waiter's blocking acquire waits LIVE_WAIT_S, reports the wait (lock-open), then
waits for the rest: a waiter is released once, by notify, so waiting for it in two parts
changes nothing the program can see.

A wait is a cycle requested when the learner's call began and released when it returned (a
Condition's, at the wake-up: its re-acquire of the lock is a cycle of the lock), acquired
then too, or null when it timed out or broke.
"""

import _thread
import os
import types

from .. import thread_id
from ..quiet import quietly
from ..tracebacks import drop_tracer_frames as _drop_tracer_frames
from . import learner_site, lock_state
from .lock_state import LIVE_WAIT_S, _now

_allocate_lock = _thread.allocate_lock
_this_thread = thread_id.this_thread

# native thread id -> its open Wait (a Barrier's action may open another inside: see begin)
_open = {}


class Wait(object):
    __slots__ = ("state", "tid", "request_ns", "site", "woken_ns", "notified", "outer")

    def __init__(self, state, tid, request_ns, site, outer):
        self.state = state
        self.tid = tid
        self.request_ns = request_ns
        self.site = site
        self.woken_ns = None  # when the waiter's acquire returned (Condition.wait)
        self.notified = False  # what it returned
        self.outer = outer


@quietly
def begin(state, frame):
    """Opens a wait of this thread on `state`, called by the learner's code on `frame`."""
    tid = _this_thread.tid
    wait = Wait(state, tid, _now(), learner_site.site_at(frame), _open.get(tid))
    _open[tid] = wait
    return wait


@quietly
def end(wait, passed):
    """Closes `wait` at its return: passed (the event was set, the barrier passed) or not."""
    if wait is None:
        return
    _close(wait)
    now = _now()
    wait.state.announce()
    wait.state.finish(wait.tid, wait.request_ns, now if passed else None, now, wait.site)


@quietly
def end_notified(wait):
    """Closes a Condition's wait: a cycle up to its wake-up, if it got as far as waiting."""
    if wait is None:
        return
    _close(wait)
    woken_ns = wait.woken_ns
    if woken_ns is not None:
        wait.state.announce()
        wait.state.finish(wait.tid, wait.request_ns, woken_ns if wait.notified else None, woken_ns, wait.site)


def _close(wait):
    if wait.outer is not None:
        _open[wait.tid] = wait.outer
    elif _open.get(wait.tid) is wait:
        del _open[wait.tid]


def watching_wait(wait_function):
    """A copy of Condition.wait whose waiter (`_allocate_lock()` in its code) is `_waiter()`."""
    namespace = dict(wait_function.__globals__)
    namespace["_allocate_lock"] = _waiter
    copy = types.FunctionType(
        wait_function.__code__, namespace, wait_function.__name__, wait_function.__defaults__, wait_function.__closure__
    )
    copy.__qualname__ = wait_function.__qualname__
    copy.__doc__ = wait_function.__doc__
    copy.__kwdefaults__ = wait_function.__kwdefaults__
    return copy


def _waiter():
    lock = _allocate_lock()
    wait = _open.get(_this_thread.tid)
    return lock if wait is None else _Waiter(lock, wait)


class _Waiter(object):
    """A Condition.wait's waiter while one of the learner's waits is open."""

    __slots__ = ("_lock", "_wait", "_taken", "release")

    def __init__(self, lock, wait):
        self._lock = lock
        self._wait = wait
        self._taken = False
        self.release = lock.release  # notify's: the C method itself

    def acquire(self, blocking=True, timeout=-1):
        if not self._taken:
            # Condition.wait first takes its new waiter (it never blocks), then waits for
            # notify to release it.
            self._taken = True
            return self._lock.acquire(blocking, timeout)
        try:
            return _wait_for_release(self._lock, self._wait, blocking, timeout)
        except BaseException as error:
            _drop_tracer_frames(error)  # KeyboardInterrupt while blocked: Condition.wait's own traceback
            raise


def _wait_for_release(lock, wait, blocking, timeout):
    start_ns = _now()
    if blocking is not True or type(timeout) not in (int, float) or not (timeout == -1 or timeout > LIVE_WAIT_S):
        acquired = lock.acquire(blocking, timeout)  # acquire(False), or a short timeout
    elif lock.acquire(True, LIVE_WAIT_S):
        acquired = True
    else:
        _report(wait)
        acquired = lock.acquire(True, -1 if timeout == -1 else max(timeout - (_now() - start_ns) / 1e9, 0.0))
    wait.woken_ns = _now()
    wait.notified = acquired
    return acquired


@quietly
def _report(wait):
    wait.state.announce()
    lock_state.report_open_wait(wait.tid, wait.state.id, wait.request_ns, wait.site)


def _forget_parent_waits():
    # Only the forking thread goes on in the child, under a new id, outside any wait.
    _open.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_waits)
