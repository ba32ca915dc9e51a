"""Condition, Event and Barrier waits, seen through the SemLocks they are made of.

No wrapper around Condition.wait, Event.wait or Barrier.wait: an exception of theirs (a
BrokenBarrierError, the "must acquire() condition before using wait()" assertion) shows
the learner the same traceback as without the tracer. Instead:
- Condition.wait releases its `_sleeping_count` semaphore before releasing the lock: that
  release marks the start of the wait; the `_wait_semaphore` acquire returns when notified
  (or timed out) and the `_woken_count` release right after marks the wake-up. The wait for
  notify, from start to wake-up, is a cycle of the Condition's wait (lock_state.py, id
  `<condition lock id>/wait`, api "Condition.wait", acquired null when it timed out): a wait
  for a signal, not for the lock. The lock's re-acquire inside wait is a cycle of the lock
  requested at the wake-up: only that part is a wait for the lock. While blocked, the
  `_wait_semaphore` acquire reports a live wait as the Condition's wait.
- Event.wait and Barrier.wait run inside `with self._cond:`: the Condition lock's enter
  and exit, called from those functions, are the start and the end of the wait. The
  Event's result is its last `_flag.acquire(False)`; the Barrier's, whether its exit
  carries an exception (BrokenBarrierError).
- The lock inside an Event is no lock of the learner's: none of its calls is a cycle (it
  is never in the record), they only mark the Event's waits.
"""

from .. import clock, thread_id
from ..quiet import quietly
from . import identity as identities, learner_site

# The readings lock_state.py takes, read here too: lock_state imports this module.
_now = clock.monotonic_ns
_tid = thread_id.current

# Code objects, set by configure()
_event_wait = None
_barrier_wait = None
_condition_with = ()


def configure(synchronize):
    global _event_wait, _barrier_wait, _condition_with
    _event_wait = synchronize.Event.wait.__code__
    _barrier_wait = synchronize.Barrier.wait.__code__
    _condition_with = (synchronize.Condition.__enter__.__code__, synchronize.Condition.__exit__.__code__)


def _called_by(frame, code):
    """True for the `with self._cond:` of `code`: `frame` is the Condition's __enter__ or
    __exit__ and `code` called it (not the lock calls of Condition.wait inside)."""
    if frame is None or frame.f_code not in _condition_with:
        return False
    caller = frame.f_back
    return caller is not None and caller.f_code is code


@quietly
def link(state):
    """An Event's flag tells the Event's Condition lock which Event it belongs to."""
    if state.identity.role == identities.EVENT_FLAG:
        event_lock = state.partner()
        if event_lock is not None:
            event_lock.identity.partner = state.id


def acquire_uncounted(state, block, timeout, frame):
    tid = _tid()
    role = state.identity.role
    if role == identities.BARRIER:
        _begin_barrier_wait(state, tid, frame)
    elif role == identities.EVENT_LOCK:
        _begin_event_wait(state, tid, frame)
    if role == identities.WAITING:
        # Blocks for the whole Condition.wait: its live wait is the Condition's (open_wait_of).
        acquired = state.acquire_watching(block, timeout, tid, _now(), None)
        _note_notified(state, tid, acquired)
    else:
        acquired = state.c_acquire(block, timeout)
    if role == identities.EVENT_FLAG:
        _note_flag(state, tid, acquired)
    return acquired


def release_uncounted(state, frame, exit_args):
    role = state.identity.role
    if role == identities.EVENT_LOCK:
        returned_ns = _now()  # before the lock is let go, as a cycle's release (lock_state)
        state.c_release()
        if exit_args is not None:
            _end_event_wait(state, _tid(), frame, returned_ns)
        return None
    state.c_release()
    if role == identities.SLEEPING:
        _begin_condition_wait(state, _tid(), frame)
    elif role == identities.WOKEN:
        _note_woken(state, _tid())
    elif role == identities.BARRIER and exit_args is not None:
        _end_barrier_wait(state, _tid(), frame, exit_args)
    return None


@quietly
def _begin_condition_wait(sleeping, tid, frame):
    condition_lock = sleeping.partner()
    if condition_lock is not None and waits_for_notify(condition_lock):
        # [start ns, site, woken ns, notified]: the last two set by _note_woken, _note_notified
        condition_lock.wait_marks[tid] = [_now(), learner_site.site_at(frame), None, False]
        condition_lock.settle()


@quietly
def _note_notified(waiting, tid, acquired):
    condition_lock = waiting.partner()
    mark = condition_lock.wait_marks.get(tid) if condition_lock is not None else None
    if mark is not None:
        mark[3] = bool(acquired)


@quietly
def _note_woken(woken, tid):
    condition_lock = woken.partner()
    mark = condition_lock.wait_marks.get(tid) if condition_lock is not None else None
    if mark is not None:
        mark[2] = _now()


def waits_for_notify(condition_lock):
    """True when a Condition.wait on this lock is the learner's wait for notify (not the
    Condition inside an Event or a Barrier, whose waits are the Event's or the Barrier's)."""
    return condition_lock.identity.role not in (identities.EVENT_LOCK, identities.BARRIER)


@quietly
def _begin_barrier_wait(state, tid, frame):
    if _called_by(frame, _barrier_wait):
        state.marks[tid] = [_now(), learner_site.site_at(frame)]


@quietly
def _end_barrier_wait(state, tid, frame, exit_args):
    if _called_by(frame, _barrier_wait):
        mark = state.marks.pop(tid, None)
        if mark is not None:
            returned = _now()
            passed = returned if not exit_args or exit_args[0] is None else None
            _wait_cycle(state, tid, mark[0], passed, returned, mark[1])


@quietly
def _note_flag(state, tid, acquired):
    mark = state.marks.get(tid)
    if mark is not None:
        mark[2] = bool(acquired)


def _wait_cycle(state, tid, request_ns, passed_ns, returned_ns, site):
    """A wait on an Event or Barrier: released at its return; acquired then too, or null when
    it timed out or broke (the wait still ended: its length is known)."""
    state.announce()
    state.finish(tid, request_ns, passed_ns, returned_ns, site)


@quietly
def _begin_event_wait(event_lock, tid, frame):
    if _called_by(frame, _event_wait):
        flag = event_lock.partner()
        if flag is not None:
            flag.marks[tid] = [_now(), learner_site.site_at(frame), False]


@quietly
def _end_event_wait(event_lock, tid, frame, returned_ns):
    if _called_by(frame, _event_wait):
        flag = event_lock.partner()
        mark = flag.marks.pop(tid, None) if flag is not None else None
        if mark is not None:
            _wait_cycle(flag, tid, mark[0], returned_ns if mark[2] else None, returned_ns, mark[1])


def open_wait_of(state, tid, request_ns, site):
    """(lock id, request ns, site) a blocked wait on `state` is reported as.

    The semaphore a Condition.wait blocks on is an internal detail: the learner waits on
    the Condition, the Event or the Barrier it belongs to.
    """
    if state.identity.role != identities.WAITING:
        return state.id, request_ns, site
    owner = state.partner()
    if owner is None:
        return state.id, request_ns, site
    if owner.identity.role == identities.EVENT_LOCK:
        owner = owner.partner()
        mark = owner.marks.get(tid) if owner is not None else None
    elif owner.identity.role == identities.BARRIER:
        mark = owner.marks.get(tid)
    else:
        mark = owner.wait_marks.get(tid)
        if mark is not None:
            return owner.id + identities.NOTIFY_WAIT_SUFFIX, mark[0], mark[1]
    if mark is None:
        return state.id, request_ns, site
    owner.announce()
    return owner.id, mark[0], mark[1]
